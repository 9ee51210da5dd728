// Scenario `nat-skew`: many shoppers behind one NAT address pile onto one instance under source-ip stickiness.
import { LabError } from '../../lab/errors.ts';
import { browseRounds, groupsFor, LINES } from './common.ts';
import type { Scenario, ScenarioLab, ScenarioOutcome } from './definition.ts';
import type { ShopperGroup } from './shopper-group.ts';

const SHOPPERS = 24;
/** Shoppers who share the office NAT address; the rest have addresses of their own. */
const BEHIND_NAT = 18;
const ROUNDS = 10;

/** max/mean of the answers per instance: 1.0 is perfectly even. */
function skew(group: ShopperGroup, instances: number): number {
  const counts = [...group.tally.servedBy.values()];
  const total = counts.reduce((sum, count) => sum + count, 0);
  return total === 0 ? 0 : Math.max(...counts) / (total / instances);
}

async function population(lab: ScenarioLab, run: number): Promise<ScenarioOutcome> {
  const labels = await lab.balancer.stickiness();
  const [group] = groupsFor(lab, ['memory'], SHOPPERS, (index) => ({
    clientAddress: index < BEHIND_NAT ? '198.51.100.7' : `203.0.${113 + run}.${20 + index}`,
  }));
  if (!group) throw new LabError('scenario_failed', 'no memory shoppers');
  await group.fill(LINES);
  await browseRounds(group.shoppers, ROUNDS);
  const instances = (await lab.balancer.instances('memory')).length;
  return group.outcome(labels.get('memory') ?? '?', [
    `${BEHIND_NAT} of ${SHOPPERS} shoppers behind one address; ` +
      `load max/mean ${skew(group, instances).toFixed(2)} (${group.spread()})`,
  ]);
}

export const natSkew: Scenario = {
  name: 'nat-skew',
  summary: 'most shoppers share one NAT address: source-ip stickiness piles them on one instance, lb-cookie does not',
  modes: ['memory', 'memory'],
  stack: { pools: ['memory'], clientAddresses: true },
  async run(lab) {
    await lab.balancer.patchPool('memory', { stickiness: { type: 'source-ip', hash: 'consistent' } });
    const sourceIp = await population(lab, 0);
    await lab.balancer.patchPool('memory', { stickiness: { type: 'lb-cookie', duration: '1d' } });
    const cookie = await population(lab, 1);
    return [sourceIp, cookie];
  },
};
