// The lab's topology comes from the proxy config: its pools are the shops, its targets the instances to start.

import { fileURLToPath } from 'node:url';
import { type CartWrites, cartWritesSettings } from '../../apps/cart/config.ts';
import { type SessionMode, sessionModes } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import { loadConfig } from '../../proxy/config/load.ts';
import type { ProxyConfig } from '../../proxy/config/schema.ts';

/** The config `npm run demo` and the scenarios start from. */
export const DEMO_CONFIG = fileURLToPath(new URL('../../proxy/config/demo.yaml', import.meta.url));

/** One shop instance the stack runs. */
export interface InstanceSpec {
  id: string;
  /** The proxy pool it belongs to; its name is the session mode, or the mode and a cart-write setting. */
  pool: string;
  mode: SessionMode;
  /** Set for a pool such as `redis-whole-session`; otherwise the shop's default. */
  cartWrites?: CartWrites;
  /** The port the config gives it. */
  port: number;
}

/** What a stack consists of. */
export interface Topology {
  config: ProxyConfig;
  instances: InstanceSpec[];
  /** True when some pool runs in redis mode and so needs a Redis. */
  needsRedis: boolean;
}

/** Reads the topology from a proxy config file; every pool must be named after a session mode. */
export function loadTopology(configPath = DEMO_CONFIG): Topology {
  return topologyOf(loadConfig(configPath));
}

/**
 * The shop a pool runs, from its name: a session mode (`redis`), or a mode and a cart-write setting
 * (`redis-whole-session`), so that the lesson can run beside the default in one stack.
 */
export function shopOfPool(pool: string): { mode: SessionMode; cartWrites?: CartWrites } | undefined {
  for (const mode of sessionModes) {
    if (pool === mode) return { mode };
    const setting = cartWritesSettings.find((candidate) => pool === `${mode}-${candidate}`);
    if (setting && mode !== 'jwt') return { mode, cartWrites: setting };
  }
  return undefined;
}

/** The topology of an already checked config. */
export function topologyOf(config: ProxyConfig): Topology {
  const instances: InstanceSpec[] = [];
  for (const [pool, settings] of Object.entries(config.pools)) {
    const shop = shopOfPool(pool);
    if (!shop) {
      throw new LabError(
        'invalid_settings',
        `pool "${pool}": the lab names each pool after its session mode (memory, redis or jwt), ` +
          'optionally with a cart-write setting (redis-whole-session)',
      );
    }
    for (const target of settings.targets) {
      instances.push({ id: target.id, pool, ...shop, port: Number(new URL(target.url).port) });
    }
  }
  return { config, instances, needsRedis: instances.some((instance) => instance.mode === 'redis') };
}
