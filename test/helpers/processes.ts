// Test-side wrappers that start real redis-server and cart processes and always end them after the test or file.
import { afterAll, afterEach } from 'vitest';
import { type CartInstance, type CartInstanceOptions, startCartInstance } from '../../scripts/process/cart-instance.ts';
import { type RedisServer, type RedisServerOptions, startRedisServer } from '../../scripts/process/redis-server.ts';

/** Starters whose processes are ended after each test (`'each'`) or after the file (`'all'`). */
export interface ProcessScope {
  redis(options?: RedisServerOptions): Promise<RedisServer>;
  cart(options: CartInstanceOptions): Promise<CartInstance>;
}

/** Call at the top of a test file or `describe`; every process started through the scope is ended by it. */
export function useProcesses(lifetime: 'each' | 'all' = 'each'): ProcessScope {
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    // Apps first, so that they do not log a lost Redis on the way out.
    const pending = closers.splice(0).reverse();
    for (const close of pending) await close().catch(() => undefined);
  };
  if (lifetime === 'each') afterEach(closeAll);
  else afterAll(closeAll);
  return {
    async redis(options) {
      const server = await startRedisServer(options);
      closers.push(() => server.close());
      return server;
    },
    async cart(options) {
      const instance = await startCartInstance(options);
      closers.push(() => instance.child.stop());
      return instance;
    },
  };
}
