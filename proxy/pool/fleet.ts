// All pools and their targets by id: what the admin API, health checks and metrics look things up in.
import type { ProxyConfig } from '../config/schema.ts';
import { ProxyError } from '../errors.ts';
import { FleetEvents } from './fleet-events.ts';
import { Pool, type PoolEnvironment } from './pool.ts';
import type { Target, TargetConfig } from './target.ts';

/** What the fleet needs besides the config. */
export type FleetEnvironment = Omit<PoolEnvironment, 'events' | 'cookiePath'>;

/** The pools of one proxy. Target ids are unique across pools. */
export class Fleet {
  readonly events = new FleetEvents();
  readonly pools = new Map<string, Pool>();

  constructor(config: ProxyConfig, environment: FleetEnvironment) {
    for (const [name, poolConfig] of Object.entries(config.pools)) {
      const cookiePath = config.rules.find((rule) => rule.pool === name)?.path ?? '/';
      this.pools.set(name, new Pool(name, poolConfig, { ...environment, events: this.events, cookiePath }));
    }
  }

  /** The pool named `name`, or a 404 `unknown_pool`. */
  pool(name: string): Pool {
    const pool = this.pools.get(name);
    if (pool === undefined) throw new ProxyError('unknown_pool', `No pool is named "${name}".`);
    return pool;
  }

  /** The target with id `id` in any pool, or a 404 `unknown_target`. */
  target(id: string): Target {
    for (const pool of this.pools.values()) {
      const target = pool.get(id);
      if (target !== undefined) return target;
    }
    throw new ProxyError('unknown_target', `No target has the id "${id}".`);
  }

  /** Every target of every pool. */
  *targets(): IterableIterator<Target> {
    for (const pool of this.pools.values()) yield* pool.targets;
  }

  /** Adds a target to pool `poolName`, refusing an id that is already used anywhere. */
  addTarget(poolName: string, config: TargetConfig): Target {
    const pool = this.pool(poolName);
    for (const existing of this.targets()) {
      if (existing.id === config.id)
        throw new ProxyError(
          'target_exists',
          `A target with the id "${config.id}" already exists in pool "${existing.pool}".`,
        );
    }
    return pool.add(config);
  }

  /** Removes the target with id `id` from its pool. */
  removeTarget(id: string): Target {
    const target = this.target(id);
    this.pool(target.pool).remove(target);
    return target;
  }

  /** Stops timers and closes keep-alive sockets. */
  close(): void {
    for (const pool of this.pools.values()) pool.close();
  }
}
