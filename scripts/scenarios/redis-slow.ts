// Scenario `redis-slow`: Redis answers late, then later than the shops wait, then not at all; what do shoppers see?
import { LabError } from '../../lab/errors.ts';
import { waitUntil } from '../process/wait.ts';
import type { ToxicName } from '../relay/toxics.ts';
import { groupsFor, LINES } from './common.ts';
import type { Scenario, ScenarioLab, ScenarioOutcome } from './definition.ts';
import type { Shopper } from './shoppers.ts';

/** How long each phase lasts while shoppers keep adding and looking. */
const PHASE_MS = 2_000;

/** The phases, in order; the shops bound every Redis command at 500 ms (apps/cart/sessions/redis.ts). */
const phases: { label: string; toxic?: [name: ToxicName, settings?: { ms: number }] }[] = [
  { label: 'no toxic' },
  { label: 'latency 100 ms (under the shops\u2019 500 ms command timeout)', toxic: ['latency', { ms: 100 }] },
  { label: 'latency 800 ms (over it)', toxic: ['latency', { ms: 800 }] },
  { label: 'stall (nothing answers, connections stay open)', toxic: ['stall'] },
];

/** Milliseconds of every request in a phase, and how many failed. */
interface PhaseFigures {
  label: string;
  ms: number[];
  failed: number;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Each shopper adds a line and looks at the cart, over and over, until `until` passes. */
async function shop(
  shoppers: readonly Shopper[],
  until: number,
  figures: PhaseFigures,
  offsets: Map<Shopper, number>,
): Promise<void> {
  await Promise.all(
    shoppers.map(async (shopper) => {
      while (performance.now() < until) {
        for (const step of [() => shopper.fill(1, offsets.get(shopper) ?? 0), () => shopper.browse()]) {
          const started = performance.now();
          await step();
          figures.ms.push(performance.now() - started);
        }
        offsets.set(shopper, (offsets.get(shopper) ?? 0) + 1);
      }
    }),
  );
}

async function slowRedis(lab: ScenarioLab): Promise<ScenarioOutcome[]> {
  const toxics = lab.redisToxics;
  if (!toxics) throw new LabError('needs_own_stack', 'needs a stack whose shops reach Redis through the lab relay');
  const labels = await lab.balancer.stickiness();
  const [group] = groupsFor(lab, ['redis']);
  if (!group) throw new LabError('scenario_failed', 'no redis shoppers');
  await group.fill(LINES);
  const offsets = new Map(group.shoppers.map((shopper, index) => [shopper, LINES + index]));
  const figures: PhaseFigures[] = [];
  let recoveryMs = 0;
  try {
    for (const phase of phases) {
      await (phase.toxic ? toxics.set(...phase.toxic) : toxics.clear());
      const before = group.tally.failed;
      const current: PhaseFigures = { label: phase.label, ms: [], failed: 0 };
      // the phase's length is the experiment's parameter, not a wait for something to become ready
      await shop(group.shoppers, performance.now() + PHASE_MS, current, offsets);
      current.failed = group.tally.failed - before;
      figures.push(current);
    }
  } finally {
    await toxics.clear();
  }
  const lifted = performance.now();
  const probe = group.shoppers[0]?.client;
  await waitUntil(async () => (await probe?.getCart())?.status === 200, 'the redis shop to read carts again', {
    timeoutMs: 10_000,
    intervalMs: 10,
  });
  recoveryMs = performance.now() - lifted;

  const outcome = await group.outcome(labels.get('redis') ?? '?');
  const lostNote =
    outcome.carts.lost === 0 ? 'no acknowledged add lost' : `${outcome.carts.lost} cart(s) miss an acknowledged add`;
  return figures.map((phase, index) => {
    const sorted = [...phase.ms].sort((a, b) => a - b);
    const notes = [
      `${phase.label}: p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, ` +
        `${phase.failed} of ${phase.ms.length} failed`,
    ];
    if (index === figures.length - 1)
      notes.push(`carts read again ${recoveryMs.toFixed(0)} ms after the toxic was lifted`, lostNote);
    return { ...outcome, requests: { total: phase.ms.length, failed: phase.failed, cut: 0 }, notes: notes.join('; ') };
  });
}

export const redisSlow: Scenario = {
  name: 'redis-slow',
  summary:
    'Redis answers 100 ms late, then 800 ms late, then stalls: ' +
    'answer times, 503s, recovery, and no acknowledged add lost',
  modes: ['redis', 'redis', 'redis', 'redis'],
  stack: { pools: ['redis'], redisRelay: true },
  run: slowRedis,
};
