// Scenario `scale-out`: one more instance per pool; lb-cookie keeps sessions where they are, source-ip hashing moves
// them.
import { sessionModes } from '../../contract/wire.ts';
import type { SessionMode } from '../process/cart-instance.ts';
import { browseRounds, groupsFor, LINES } from './common.ts';
import type { Scenario, ScenarioLab, ScenarioOutcome } from './definition.ts';
import type { ShopperGroup } from './shopper-group.ts';
import { keepBrowsing } from './shoppers.ts';

/** More shoppers than elsewhere: the share that moves is the figure this scenario is about. */
const SHOPPERS = 36;

/**
 * A client address per shopper, sent as X-Forwarded-For by the trusted front proxy: scattered over the three
 * documentation ranges of RFC 5737 (a fixed sequence, so runs compare), since a block of neighbours is no sample.
 */
const addressOf = (run: number) => (index: number) => {
  const n = (run * SHOPPERS + index) * 2_654_435_761;
  const net = ['192.0.2', '198.51.100', '203.0.113'][(n >>> 8) % 3];
  return { clientAddress: `${net}.${(n % 254) + 1}` };
};

async function scaleOutRun(lab: ScenarioLab, modes: SessionMode[], run: number): Promise<ScenarioOutcome[]> {
  const labels = await lab.balancer.stickiness();
  const groups = groupsFor(lab, modes, SHOPPERS, addressOf(run));
  await Promise.all(groups.map((group) => group.fill(LINES)));
  const before = new Map(groups.flatMap((group) => group.shoppers.map((shopper) => [shopper, shopper.lastServedBy])));
  const everyone = groups.flatMap((group) => group.shoppers);
  // the shoppers keep browsing while the instance starts and joins, as they would in a real scale-out
  const traffic = keepBrowsing(everyone);
  let added: string[];
  try {
    added = await Promise.all(modes.map((mode) => lab.driver.scale('out', mode)));
  } finally {
    await traffic.stop();
  }
  await browseRounds(everyone);
  const moved = (group: ShopperGroup) =>
    group.shoppers.filter((shopper) => shopper.lastServedBy !== before.get(shopper)).length;
  const outcomes = await Promise.all(
    groups.map((group, index) =>
      group.outcome(labels.get(group.mode) ?? '?', [
        `${added[index]?.split(' ')[0] ?? 'one instance'} added; ` +
          `${moved(group)}/${group.shoppers.length} shoppers moved instance`,
      ]),
    ),
  );
  await Promise.all(modes.map((mode) => lab.driver.scale('in', mode)));
  return outcomes;
}

export const scaleOut: Scenario = {
  name: 'scale-out',
  summary: 'add an instance to each pool; memory under lb-cookie, source-ip/modulo and source-ip/consistent',
  modes: ['memory', 'redis', 'jwt', 'memory', 'memory'],
  stack: { clientAddresses: true },
  async run(lab) {
    const rows = await scaleOutRun(lab, [...sessionModes], 0);
    await lab.balancer.patchPool('memory', { stickiness: { type: 'source-ip', hash: 'modulo' } });
    rows.push(...(await scaleOutRun(lab, ['memory'], 1)));
    await lab.balancer.patchPool('memory', { stickiness: { type: 'source-ip', hash: 'consistent' } });
    rows.push(...(await scaleOutRun(lab, ['memory'], 2)));
    return rows;
  },
};
