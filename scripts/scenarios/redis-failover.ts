// Scenarios `redis-failover` and `redis-failover-wait`: the primary dies with writes it has not yet replicated.
import { LabError } from '../../lab/errors.ts';
import { waitUntil } from '../process/wait.ts';
import { groupsFor, LINES } from './common.ts';
import type { Scenario, ScenarioLab, ScenarioOutcome } from './definition.ts';
import type { Shopper } from './shoppers.ts';

/**
 * How far the replicas lag behind on purpose (both follow the primary through the lab relay): on a quiet machine they
 * are a millisecond behind, and a failover would hide the risk. With two replicas the promoted one has a peer to
 * confirm writes right after the failover, as production sets run.
 */
const LAG_MS = 150;
/** Adding goes on this long under lag before the primary is killed. */
const BEFORE_KILL_MS = 1_500;
/** And this long after the shops write again. */
const AFTER_RECOVERY_MS = 1_000;
/** A hold of the replication link this long before the kill adds to what is lost, so the notes name it. */
const HELD_WORTH_SAYING_MS = 100;
/** A failed failover attempt is tried again after twice this: twenty seconds, within the wait for a write. */
const FAILOVER_TIMEOUT_AFTER_KILL_MS = 10_000;

/** When an add was sent and whether it was acknowledged. */
interface AddRecord {
  sentAt: number;
  ms: number;
  ok: boolean;
}

/** Every shopper adds a new line, again and again, until `running()` says stop. */
async function keepAdding(shoppers: readonly Shopper[], running: () => boolean, records: AddRecord[]): Promise<void> {
  await Promise.all(
    shoppers.map(async (shopper, index) => {
      for (let offset = LINES + index; running(); offset += 1) {
        const sentAt = performance.now();
        const acknowledged = await shopper.fill(1, offset);
        records.push({ sentAt, ms: performance.now() - sentAt, ok: acknowledged === 1 });
      }
    }),
  );
}

/**
 * Units the shopper was told its cart holds that the cart lacks, and units it holds beyond them (refused adds that
 * landed).
 */
async function compare(shopper: Shopper): Promise<{ lost: number; extra: number }> {
  const items = await shopper.client.cartOnceServed(15_000);
  const held = new Map(items.map((line) => [line.sku, line.qty]));
  let lost = 0;
  let extra = 0;
  for (const [sku, qty] of shopper.expected) lost += Math.max(0, qty - (held.get(sku) ?? 0));
  for (const [sku, qty] of held) extra += Math.max(0, qty - (shopper.expected.get(sku) ?? 0));
  return { lost, extra };
}

async function failover(lab: ScenarioLab, waitForReplica: boolean): Promise<ScenarioOutcome[]> {
  const replication = lab.laggingReplication;
  if (!replication)
    throw new LabError('needs_own_stack', 'needs a stack with a replicated Redis whose replication can lag');
  const labels = await lab.balancer.stickiness();
  const [group] = groupsFor(lab, ['redis']);
  if (!group) throw new LabError('scenario_failed', 'no redis shoppers');
  await group.fill(LINES);

  await replication.lag(LAG_MS);
  const records: AddRecord[] = [];
  let adding = true;
  const load = keepAdding(group.shoppers, () => adding, records);
  let killedAt = 0;
  let recoveredAt = 0;
  let heldMs = 0;
  try {
    // the lag and the load before the kill are the experiment's parameters, not waits for readiness
    await new Promise((resolve) => setTimeout(resolve, BEFORE_KILL_MS));
    heldMs = await replication.killPrimary();
    // from when it is surely dead: under Compose the kill is a docker command, and a write answered while it runs
    // would otherwise count as the first one after the failover
    killedAt = performance.now();
    // The long failover timeout kept the Sentinels from pointing the lagging replicas past the relay while the
    // experiment was set up (+fix-slave-config); now that the primary is down they cannot, and a Sentinel whose first
    // attempt failed on a busy machine would otherwise wait twice that timeout (four minutes) to try again.
    await replication.setFailoverTimeout(FAILOVER_TIMEOUT_AFTER_KILL_MS);
    await waitUntil(
      async () => records.some((record) => record.ok && record.sentAt > killedAt),
      'a write to succeed after the failover',
      { timeoutMs: 60_000, intervalMs: 50 },
    ).catch(async (error: Error) => {
      throw new LabError('scenario_failed', `${error.message}; ${await replication.describe()}`);
    });
    recoveredAt = Math.min(
      ...records.filter((record) => record.ok && record.sentAt > killedAt).map((record) => record.sentAt + record.ms),
    );
    await new Promise((resolve) => setTimeout(resolve, AFTER_RECOVERY_MS));
  } finally {
    adding = false;
    await load;
    await replication.lag(null);
  }

  const carts = await Promise.all(group.shoppers.map(compare));
  const lost = carts.reduce((sum, cart) => sum + cart.lost, 0);
  const extra = carts.reduce((sum, cart) => sum + cart.extra, 0);
  const beforeKill = records
    .filter((record) => record.ok && record.sentAt < killedAt)
    .map((record) => record.ms)
    .sort((a, b) => a - b);
  const p50 = beforeKill[Math.floor(beforeKill.length / 2)] ?? 0;
  const acknowledged = records.filter((record) => record.ok).length;
  const notes = [
    `replica ${LAG_MS} ms behind${waitForReplica ? '; every change waits for 1 replica (WAIT)' : ''}`,
    `add p50 ${p50.toFixed(0)} ms before the kill`,
    // Compose's commands take a while: every add acknowledged meanwhile is held back too
    ...(heldMs >= HELD_WORTH_SAYING_MS
      ? [`replication held up to ${(heldMs / 1000).toFixed(1)} s until the kill`]
      : []),
    `writes refused for ${((recoveredAt - killedAt) / 1000).toFixed(1)} s after the primary was killed`,
    `${lost} of ${acknowledged} acknowledged adds lost`,
  ];
  // a 503 says "not acknowledged", not "not applied": such an add may have landed, which is no loss
  if (extra > 0) notes.push(`${extra} unit(s) from adds refused with 503 landed all the same`);
  const kept = carts.filter((cart) => cart.lost === 0).length;
  return [
    {
      mode: 'redis',
      stickiness: labels.get('redis') ?? '?',
      verdict: kept === carts.length ? 'kept' : 'lost',
      carts: { checked: carts.length, kept, lost: carts.length - kept },
      requests: { total: group.tally.total, failed: group.tally.failed, cut: group.tally.cut },
      notes: notes.join('; '),
      cartWrites: waitForReplica ? 'atomic+wait' : 'atomic',
    },
  ];
}

export const redisFailover: Scenario = {
  name: 'redis-failover',
  summary:
    'the Redis primary dies while its replica lags; Sentinel promotes the replica: ' +
    'adds the primary acknowledged are lost',
  modes: ['redis'],
  stack: { pools: ['redis'], redisReplication: { replicas: 2, laggableReplication: true } },
  run: (lab) => failover(lab, false),
};

export const redisFailoverWait: Scenario = {
  name: 'redis-failover-wait',
  summary: 'the same failover with every change confirmed by a replica (WAIT 1) before it is acknowledged: none lost',
  modes: ['redis'],
  stack: {
    pools: ['redis'],
    redisReplication: { replicas: 2, laggableReplication: true },
    shopEnv: { REDIS_WAIT_REPLICAS: '1' },
  },
  run: (lab) => failover(lab, true),
};
