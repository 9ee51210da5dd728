// The lab proxy as a scenario's balancer, driven through its control port.
import type { ProxyAdmin } from '../../lab-client/proxy-admin.ts';
import { type Balancer, stickinessLabel } from './balancer.ts';

interface PoolRow {
  name: string;
  algorithm: string;
  stickiness: { type: string; hash?: string };
  failover: string;
}

/**
 * The lab proxy at `admin`; with `restore`, pool settings a scenario changes are put back on release (a shared lab).
 */
export function labProxyBalancer(admin: ProxyAdmin, options: { restore?: boolean } = {}): Balancer {
  const original = new Map<string, Record<string, unknown>>();
  return {
    name: 'lab-proxy',
    async stickiness() {
      const pools = (await admin.pools()) as PoolRow[];
      return new Map(pools.map((pool) => [pool.name, stickinessLabel(pool.stickiness)]));
    },
    async patchPool(pool, patch) {
      if (options.restore && !original.has(pool)) {
        const settings = ((await admin.pools()) as PoolRow[]).find((candidate) => candidate.name === pool);
        if (settings)
          original.set(pool, {
            algorithm: settings.algorithm,
            stickiness: settings.stickiness,
            failover: settings.failover,
          });
      }
      await admin.patchPool(pool, patch);
    },
    async instances(pool) {
      return (await admin.targets()).filter((target) => target.pool === pool).map((target) => target.id);
    },
    async drain(id) {
      await admin.drain(id);
    },
    async undrain(id) {
      await admin.undrain(id);
    },
    waitForHealthy: (ids) => admin.waitForHealthy(ids),
    async waitUntilOut(id, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        const row = (await admin.targets()).find((target) => target.id === id);
        if (row && row.state !== 'healthy') return performance.now();
        // polling the admin API, as a person would watch the status page
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return undefined;
    },
    async release() {
      for (const [pool, settings] of original) await admin.patchPool(pool, settings);
    },
  };
}
