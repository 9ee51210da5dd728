// Compose's replicated Redis (compose.replicated.yaml) made to lag for the failover scenarios: for the experiment its
// replicas follow the primary through redis-relay, whose latency toxic holds back what they receive, as natively.
import { LabError } from '../../lab/errors.ts';
import { waitUntil } from '../process/wait.ts';
import type { ComposeRunner, ComposeSentinels } from './compose-sentinels.ts';
import type { LaggingReplication } from './driver.ts';
import { RELAY_SERVICE, relayToxicArgs } from './relay-toxic-command.ts';

/** The data server redis-relay forwards to (its RELAY_UPSTREAM): the primary the experiment needs. */
const RELAYED_PRIMARY = 'redis';
/**
 * The Sentinels' failover timeout while the replicas follow the relay: they point a replica that follows another
 * address than the primary's back at it (+fix-slave-config) once this has passed.
 */
const SETUP_FAILOVER_TIMEOUT_MS = 120_000;
/** What docker/redis-sentinel.conf sets, put back on release. */
const LAB_FAILOVER_TIMEOUT_MS = 10_000;
const SYNC_WAIT_MS = 60_000;

/**
 * Points every replica at the relay (`compose` runs `docker compose` commands in the lab's project, `docker` plain
 * ones) and resolves once each follows it and every Sentinel knows them all. `replicas` are
 * the data servers besides `redis`; `redis` must be primary (release makes it primary again).
 */
export async function composeLaggingReplication(
  compose: ComposeRunner,
  docker: ComposeRunner,
  sentinels: ComposeSentinels,
  replicas: readonly string[],
): Promise<LaggingReplication> {
  const redisCli = (service: string, ...command: string[]) => compose(['exec', '-T', service, 'redis-cli', ...command]);
  const replication = async (service: string) => {
    const info = await redisCli(service, 'INFO', 'replication');
    return (field: string) => new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  };
  /** Waits until `service` replicates from `master` with its link up. */
  const follows = (service: string, master: string) =>
    waitUntil(
      async () => {
        const field = await replication(service);
        return field('role') === 'slave' && field('master_host') === master && field('master_link_status') === 'up';
      },
      `${service} to follow ${master}`,
      { timeoutMs: SYNC_WAIT_MS, intervalMs: 250 },
    );

  const primary = await sentinels.primary();
  if (primary !== RELAYED_PRIMARY) {
    throw new LabError(
      'not_possible',
      `the primary is ${primary}, but ${RELAY_SERVICE} forwards to ${RELAYED_PRIMARY}: make it primary again first ` +
        `(docker compose start ${RELAYED_PRIMARY}, then npm run fault -- failover redis --compose until it is)`,
    );
  }
  /** The replicas follow the primary directly again, and the Sentinels fix what they find amiss within seconds. */
  const direct = async () => {
    await sentinels.setFailoverTimeout(LAB_FAILOVER_TIMEOUT_MS);
    for (const replica of replicas) await redisCli(replica, 'REPLICAOF', RELAYED_PRIMARY, '6379');
  };
  try {
    await sentinels.setFailoverTimeout(SETUP_FAILOVER_TIMEOUT_MS);
    for (const replica of replicas) await redisCli(replica, 'REPLICAOF', RELAY_SERVICE, '6379');
    for (const replica of replicas) await follows(replica, RELAY_SERVICE);
    await sentinels.waitForSet(replicas.length);
  } catch (error) {
    // a set-up that failed half-way leaves the lab as it was, not with its replicas behind the relay
    await direct().catch(() => undefined);
    throw error;
  }

  /** Makes `target`, a replica in sync, primary; the others may not be picked meanwhile (replica-priority 0). */
  const promote = async (target: string, others: readonly string[]) => {
    for (const other of others) await redisCli(other, 'CONFIG', 'SET', 'replica-priority', '0');
    try {
      const { promoted } = await sentinels.failover();
      if (promoted !== target) throw new LabError('not_possible', `the Sentinels promoted ${promoted}, not ${target}`);
    } finally {
      for (const other of others) await redisCli(other, 'CONFIG', 'SET', 'replica-priority', '100');
    }
  };

  return {
    lag: async (ms) => {
      await compose(relayToxicArgs(ms === null ? null : { name: 'latency', ms }));
    },
    killPrimary: async () => {
      const container = (await compose(['ps', '--quiet', await sentinels.primary()])).trim();
      // A relay starved of CPU (the machine busy) may flush its queue before it notices the primary died; stalled, it
      // holds the queue, and drops it when the connection ends. Plain `docker kill` lands sooner than Compose's.
      const heldFrom = performance.now();
      await compose(relayToxicArgs({ name: 'stall' }));
      await docker(['kill', '--signal', 'KILL', container]);
      return performance.now() - heldFrom;
    },
    setFailoverTimeout: (ms) => sentinels.setFailoverTimeout(ms),
    describe: () => sentinels.describe(),
    release: async () => {
      await compose(relayToxicArgs(null));
      const current = await sentinels.primary();
      // no failover happened (the scenario failed before its kill)
      if (current === RELAYED_PRIMARY) return direct();
      await sentinels.setFailoverTimeout(LAB_FAILOVER_TIMEOUT_MS);
      // the killed primary comes back, the Sentinels turn it into a replica of the promoted one, and it is promoted
      await compose(['start', RELAYED_PRIMARY]);
      await follows(RELAYED_PRIMARY, current);
      await sentinels.waitForSet(replicas.length);
      await promote(
        RELAYED_PRIMARY,
        replicas.filter((replica) => replica !== current),
      );
      for (const replica of replicas) await follows(replica, RELAYED_PRIMARY);
    },
  };
}
