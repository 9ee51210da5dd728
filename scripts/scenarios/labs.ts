// Where a scenario runs: a fresh isolated stack on free ports (the default), or the running lab found by --control.

import type { LabInfo } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import { discoverLab } from '../lab-client/discover.ts';
import type { LaggingReplication, OrchestratorDriver } from '../orchestrators/driver.ts';
import { InProcessDriver } from '../orchestrators/in-process.ts';
import type { RedisReplication } from '../process/redis-replication.ts';
import type { TcpRelay } from '../relay/tcp-relay.ts';
import { NativeStack } from '../stack/native-stack.ts';
import type { Balancer } from './balancers/balancer.ts';
import { type ExternalBalancerName, startExternalBalancer } from './balancers/external.ts';
import { labProxyBalancer } from './balancers/lab-proxy.ts';
import type { RedisToxics, ScenarioLab, StackNeeds } from './definition.ts';

/**
 * Scenario stacks check health twice as often as the demo (1 s), so that a restarted instance is back in rotation
 * within a second and `--all` stays short. A target leaves only after 1.5 s without a timely answer: with 250 ms
 * checks and two failures, a busy 2-core machine took healthy shops out and moved their sticky shoppers (lost memory
 * carts that no fault touched). Crashes are caught by passive checks anyway.
 */
const SCENARIO_HEALTH_CHECK = { interval: '500ms', timeout: '500ms', healthyThreshold: 2, unhealthyThreshold: 3 };

/** A lab for one scenario and how to give it back. */
export interface LeasedLab {
  lab: ScenarioLab;
  release(): Promise<void>;
}

/**
 * Starts a stack of its own for one scenario; `release` ends every process of it. With `balancer`, HAProxy or nginx
 * runs the translation of the stack's proxy config and the shoppers go through it instead of the lab proxy.
 */
export async function isolatedLab(
  needs: StackNeeds = {},
  log?: (line: string) => void,
  balancer?: ExternalBalancerName,
): Promise<LeasedLab> {
  const stack = await NativeStack.start({
    ports: 'free',
    pools: needs.pools && [...needs.pools, ...(needs.extraPools ?? [])],
    extraPools: needs.extraPools,
    redisPersistence: needs.redisPersistence ?? true,
    redisRelay: needs.redisRelay,
    redisReplication: needs.redisReplication,
    env: needs.shopEnv,
    proxyOverrides: needs.clientAddresses ? { trustedProxies: ['127.0.0.1'] } : undefined,
    poolOverrides: { healthCheck: SCENARIO_HEALTH_CHECK },
    log,
  });
  let front: Balancer & { url?: string };
  try {
    front = balancer ? await startExternalBalancer(balancer, stack.proxyConfig()) : labProxyBalancer(stack.admin);
  } catch (error) {
    await stack.close();
    throw error;
  }
  const base = front.url ?? stack.proxy.url;
  return {
    lab: {
      balancer: front,
      driver: new InProcessDriver(stack),
      shopUrl: (pool) => `${base}${stack.shopPath(pool)}`,
      redisToxics: stack.relay && relayToxics(stack.relay),
      laggingReplication: stack.replication && ownLaggingReplication(stack.replication),
    },
    async release() {
      await front.release();
      await stack.close();
    },
  };
}

/**
 * Why a scenario with `needs` cannot run on a running lab (under Compose or not) whose proxy does (`trusted`) or does
 * not trust `X-Forwarded-For` from this machine; undefined when it can.
 */
export function ownStackReason(needs: StackNeeds = {}, trusted: boolean, compose = false): string | undefined {
  if (needs.redisPersistence === false)
    return 'needs a stack of its own (Redis without persistence); run it without --control';
  if (needs.shopEnv && Object.keys(needs.shopEnv).length > 0) {
    const settings = Object.entries(needs.shopEnv)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    return `needs shops started with ${settings}, which the running lab's are not; run it without --control`;
  }
  if (needs.redisReplication && !compose) {
    return (
      'needs a replicated Redis whose replication the scenario slows down, which the demo does not run: ' +
      'run it without --control (a stack of its own), or under Docker Compose with compose.replicated.yaml'
    );
  }
  if (needs.clientAddresses && !trusted) {
    return (
      'needs a proxy that trusts X-Forwarded-For from 127.0.0.1 (npm run demo does, Docker Compose does not); ' +
      'run it without --control'
    );
  }
  return undefined;
}

/** Uses the running lab; pool settings a scenario changes are put back on release. */
export async function sharedLab(controlUrl: string, needs: StackNeeds = {}, compose = false): Promise<LeasedLab> {
  // what needs no lab is refused before the lab is looked for
  const early = ownStackReason({ ...needs, clientAddresses: false }, true, compose);
  if (early) throw new LabError('needs_own_stack', early);
  const { admin, driver } = await discoverLab(controlUrl, { compose });
  const info = await admin.call<LabInfo>('GET', '/api/lab');
  const reason = ownStackReason(needs, trustsThisMachine(info), compose);
  if (reason) throw new LabError('needs_own_stack', reason);
  const redisToxics = needs.redisRelay ? await labToxics(driver) : undefined;
  const laggingReplication = needs.redisReplication ? await labReplication(driver) : undefined;
  // Inside its container the proxy cannot know the host port compose.yaml publishes it on.
  const publicUrl = compose ? `http://127.0.0.1:${process.env.PROXY_PORT ?? '8080'}` : info.publicUrl;
  const balancer = labProxyBalancer(admin, { restore: true });
  return {
    lab: { balancer, driver, shopUrl: (pool) => `${publicUrl}/${pool}`, redisToxics, laggingReplication },
    async release() {
      try {
        await laggingReplication?.release();
      } finally {
        await balancer.release();
      }
    },
  };
}

/**
 * A running lab's replicated Redis with its replicas sent through a relay (Compose with compose.replicated.yaml); a
 * lab without one is refused here, before any shopper starts.
 */
async function labReplication(driver: OrchestratorDriver): Promise<LaggingReplication> {
  const reason = 'needs a replicated Redis whose replication the scenario slows down';
  if (!driver.laggingReplication) throw new LabError('needs_own_stack', `${reason}; run it without --control`);
  try {
    return await driver.laggingReplication();
  } catch (error) {
    if (error instanceof LabError && error.code === 'fault_not_here')
      throw new LabError('needs_own_stack', `${reason}: ${error.message}; or run it without --control`);
    throw error;
  }
}

/** A stack's own replicated Redis; its replication link exists where the stack was started with a laggable one. */
function ownLaggingReplication(replication: RedisReplication): LaggingReplication | undefined {
  const link = replication.replicationLink;
  if (!link) return undefined;
  return {
    lag: async (ms) => (ms === null ? link.clear() : link.set('latency', { ms })),
    killPrimary: async () => {
      const primary = await replication.primary();
      const heldFrom = performance.now();
      link.set('stall');
      await primary.kill();
      return performance.now() - heldFrom;
    },
    setFailoverTimeout: (ms) => replication.setFailoverTimeout(ms),
    describe: () => replication.describe(),
    // the stack is ended with the scenario
    release: async () => undefined,
  };
}

/** A stack's own relay as a scenario sets its toxics. */
function relayToxics(relay: TcpRelay): RedisToxics {
  return {
    set: async (name, settings) => {
      relay.clear();
      relay.set(name, settings);
    },
    clear: async () => relay.clear(),
  };
}

/**
 * The toxics of a running lab's relay in front of Redis, set through its driver (the demo's supervisor, or `docker
 * compose exec` on compose's redis-relay). A lab without such a relay is refused here, before any shopper starts.
 */
async function labToxics(driver: OrchestratorDriver): Promise<RedisToxics> {
  const toxic = driver.redisToxic?.bind(driver);
  if (!toxic) throw new LabError('needs_own_stack', 'needs a relay in front of Redis; run it without --control');
  try {
    await toxic(null);
  } catch (error) {
    if (error instanceof LabError && error.code === 'fault_not_here')
      throw new LabError('needs_own_stack', `${error.message}; run it without --control`);
    throw error;
  }
  return {
    set: async (name, settings) => {
      await toxic(name === 'latency' ? { name, ms: settings?.ms ?? 0 } : { name });
    },
    clear: async () => {
      await toxic(null);
    },
  };
}

/**
 * True when the proxy believes X-Forwarded-For from this machine, so shoppers here can play clients behind a front
 * proxy.
 */
export function trustsThisMachine(info: Pick<LabInfo, 'trustedProxies'>): boolean {
  return info.trustedProxies.includes('127.0.0.1');
}
