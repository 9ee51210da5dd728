// Where a scenario runs: a fresh isolated stack on free ports (the default), or the running lab found by --control.
import { discoverLab } from '../lab/discover.ts';
import { InProcessDriver } from '../orchestrators/in-process.ts';
import { NativeStack } from '../stack/native-stack.ts';
import type { ScenarioLab, StackNeeds } from './scenario.ts';

/**
 * Scenario stacks check health four times as often as the demo (1 s), so that a restarted instance is back in
 * rotation within half a second and `--all` stays under two minutes. Crashes are caught by passive checks anyway.
 */
const SCENARIO_HEALTH_CHECK = { interval: '250ms', timeout: '250ms', healthyThreshold: 2, unhealthyThreshold: 2 };

/** A lab for one scenario and how to give it back. */
export interface LeasedLab {
  lab: ScenarioLab;
  release(): Promise<void>;
}

/** Starts a stack of its own for one scenario; `release` ends every process of it. */
export async function isolatedLab(needs: StackNeeds = {}, log?: (line: string) => void): Promise<LeasedLab> {
  const stack = await NativeStack.start({
    ports: 'free',
    pools: needs.pools,
    redisPersistence: needs.redisPersistence ?? true,
    proxyOverrides: needs.clientAddresses ? { trustedProxies: ['127.0.0.1'] } : undefined,
    poolOverrides: { healthCheck: SCENARIO_HEALTH_CHECK },
    log,
  });
  return {
    lab: {
      admin: stack.admin,
      driver: new InProcessDriver(stack),
      shopUrl: (pool) => stack.shopUrl(pool),
      patchPool: async (pool, patch) => {
        await stack.admin.patchPool(pool, patch);
      },
    },
    release: () => stack.close(),
  };
}

/** Uses the running lab; pool settings a scenario changes are put back on release. */
export async function sharedLab(controlUrl: string, needs: StackNeeds = {}, compose = false): Promise<LeasedLab> {
  if (needs.redisPersistence === false || needs.clientAddresses) {
    throw new Error('needs a stack of its own (Redis without persistence, or a proxy that trusts X-Forwarded-For); run it without --control');
  }
  const { admin, driver } = await discoverLab(controlUrl, { compose });
  const info = await admin.call<{ publicUrl?: string }>('GET', '/api/lab');
  // Inside its container the proxy cannot know the host port compose.yaml publishes it on.
  const publicUrl = compose ? `http://127.0.0.1:${process.env.PROXY_PORT ?? '8080'}` : (info.publicUrl ?? 'http://127.0.0.1:8080');
  const original = new Map<string, Record<string, unknown>>();
  const pools = (await admin.pools()) as { name: string; algorithm: string; stickiness: unknown; failover: string }[];
  return {
    lab: {
      admin,
      driver,
      shopUrl: (pool) => `${publicUrl}/${pool}`,
      patchPool: async (pool, patch) => {
        const settings = pools.find((candidate) => candidate.name === pool);
        if (settings && !original.has(pool)) original.set(pool, { algorithm: settings.algorithm, stickiness: settings.stickiness, failover: settings.failover });
        await admin.patchPool(pool, patch);
      },
    },
    release: async () => {
      for (const [pool, settings] of original) await admin.patchPool(pool, settings);
    },
  };
}
