// The shop instances of a native stack: how one is started, which cart-write setting it runs, and how it is listed.

import type { CartWrites } from '../../apps/cart/config.ts';
import type { ServiceState, ServiceStatus } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import { type CartInstance, startCartInstance } from '../process/cart-instance.ts';
import type { RedisServer } from '../process/redis-server.ts';
import type { TcpRelay } from '../relay/tcp-relay.ts';
import { forwardWarnings } from './child-log.ts';
import { isAlive } from './process-states.ts';
import type { InstanceSpec } from './topology.ts';

/** What the stack knows of one shop instance; `instance` is its current process, if it ever started. */
export interface ShopRecord {
  spec: InstanceSpec;
  port: number;
  instance?: CartInstance;
  state: ServiceState;
}

/** The service-list row of a shop instance. */
export function shopStatus(record: ShopRecord): ServiceStatus {
  const running = isAlive(record.state);
  return {
    id: record.spec.id,
    kind: 'app',
    pool: record.spec.pool,
    mode: record.spec.mode,
    state: record.state,
    pid: running ? record.instance?.child.pid : undefined,
    port: record.port,
    url: `http://127.0.0.1:${record.port}/${record.spec.pool}`,
    cartWrites: record.spec.cartWrites ?? 'token',
  };
}

/** The cart-write setting an instance runs: its pool's, else the stack's, else the shop's default; jwt has none. */
export function cartWritesOf(
  spec: Pick<InstanceSpec, 'mode' | 'cartWrites'>,
  stackDefault: CartWrites | undefined,
): CartWrites | undefined {
  return spec.mode === 'jwt' ? undefined : (spec.cartWrites ?? stackDefault ?? 'atomic');
}

/** Where the shops find Redis: through the relay when there is one. */
export function shopRedisUrl(redis: RedisServer | undefined, relay: TcpRelay | undefined): string | undefined {
  return relay ? `redis://127.0.0.1:${relay.port}` : redis?.url;
}

/**
 * Starts the instance `spec` on `port` (0: a free one) with the stack's `env`; its warnings go to `log`. A redis shop
 * counts as started once it reaches Redis, unless `redisAway` says Redis is meant to be unreachable just now.
 */
export function launchShop(
  spec: InstanceSpec,
  port: number,
  redisUrl: string | undefined,
  env: Record<string, string>,
  log: (line: string) => void,
  redisAway = false,
): Promise<CartInstance> {
  return startCartInstance({
    mode: spec.mode,
    id: spec.id,
    port,
    redisUrl,
    awaitStore: !redisAway,
    basePath: `/${spec.pool}`,
    cartWrites: spec.cartWrites,
    env: { LOG_LEVEL: 'warn', ...env },
    onLine: (line) => forwardWarnings(spec.id, line, log),
  }).catch((error: Error) => {
    const busy = error.message.includes('EADDRINUSE');
    if (busy) throw new LabError('port_in_use', `${spec.id}: port ${port} is in use (is another demo running?)`);
    throw new LabError('process_failed', error.message);
  });
}
