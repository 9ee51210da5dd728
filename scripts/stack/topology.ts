// The lab's topology comes from the proxy config: its pools are the shops, its targets the instances to start.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../proxy/config/load.ts';
import type { ProxyConfig } from '../../proxy/config/schema.ts';
import type { SessionMode } from '../process/cart-instance.ts';

/** The config `npm run demo` and the scenarios start from. */
export const DEMO_CONFIG = fileURLToPath(new URL('../../proxy/config/demo.yaml', import.meta.url));

const modes: readonly SessionMode[] = ['memory', 'redis', 'jwt'];

/** One shop instance the stack runs. */
export interface InstanceSpec {
  id: string;
  /** The proxy pool it belongs to; its name is the session mode. */
  pool: string;
  mode: SessionMode;
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

/** The topology of an already checked config. */
export function topologyOf(config: ProxyConfig): Topology {
  const instances: InstanceSpec[] = [];
  for (const [pool, settings] of Object.entries(config.pools)) {
    const mode = modes.find((candidate) => candidate === pool);
    if (!mode) throw new Error(`pool "${pool}": the lab names each pool after its session mode (memory, redis or jwt)`);
    for (const target of settings.targets) {
      instances.push({ id: target.id, pool, mode, port: Number(new URL(target.url).port) });
    }
  }
  return { config, instances, needsRedis: instances.some((instance) => instance.mode === 'redis') };
}
