// Scenarios `redis-outage` and `redis-restart-no-persistence`: the shared store itself goes away, then comes back.
import { LabError } from '../../lab/errors.ts';
import { waitUntil } from '../process/wait.ts';
import { browseRounds, groupsFor, LINES } from './common.ts';
import type { Scenario, ScenarioLab, ScenarioOutcome } from './definition.ts';
import { keepBrowsing } from './shoppers.ts';

/** How long Redis stays down while shoppers keep browsing. */
const OUTAGE_MS = 2_000;

async function outage(lab: ScenarioLab, persistence: boolean): Promise<ScenarioOutcome[]> {
  const labels = await lab.balancer.stickiness();
  const [group] = groupsFor(lab, ['redis']);
  if (!group) throw new LabError('scenario_failed', 'no redis shoppers');
  await group.fill(LINES);
  const traffic = keepBrowsing(group.shoppers);
  const notes: string[] = [];
  try {
    const before = group.tally.failed;
    const down = performance.now();
    await lab.driver.act('crash', 'redis');
    // the outage's length is the experiment's parameter, not a wait for something to become ready
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await lab.driver.act('start', 'redis');
    // the harness's own probe, outside the shoppers' tally: the first cart answered after the restart
    const probe = group.shoppers[0]?.client;
    await waitUntil(async () => (await probe?.getCart())?.status === 200, 'the redis shop to read carts again');
    const failedDuring = group.tally.failed - before;
    const times = group.tally.failedMs.slice(before).sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)] ?? 0;
    const max = times.at(-1) ?? 0;
    notes.push(
      `Redis down ${((performance.now() - down) / 1000).toFixed(1)} s ` +
        `(${persistence ? 'append-only file on' : 'no persistence'})`,
      `${failedDuring} requests failed meanwhile, p50 ${p50.toFixed(0)} ms, max ${max.toFixed(0)} ms`,
    );
    await browseRounds(group.shoppers, 1);
  } finally {
    await traffic.stop();
  }
  return [await group.outcome(labels.get('redis') ?? '?', notes)];
}

export const redisOutage: Scenario = {
  name: 'redis-outage',
  summary:
    'Redis (with its append-only file) crashes under load and comes back: how fast do requests fail, do carts return?',
  modes: ['redis'],
  stack: { pools: ['redis'], redisPersistence: true },
  run: (lab) => outage(lab, true),
};

export const redisRestartNoPersistence: Scenario = {
  name: 'redis-restart-no-persistence',
  summary: 'the same outage with Redis persistence off: the store comes back empty',
  modes: ['redis'],
  stack: { pools: ['redis'], redisPersistence: false },
  run: (lab) => outage(lab, false),
};
