// The redis shop on a replicated Redis: after the primary dies and Sentinel promotes a replica, the same shop
// process writes to the new primary, with no restart and no cart lost that the replica had received.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type RedisReplication, startRedisReplication } from '../../scripts/process/redis-replication.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { useProcesses } from '../helpers/processes.ts';

const scope = useProcesses('each');
const sets: RedisReplication[] = [];
afterEach(async () => {
  for (const set of sets.splice(0)) await set.close();
});

/** The cart hashes a server holds, as `key -> fields`. */
async function carts(port: number): Promise<Record<string, Record<string, string>>> {
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    const keys = await client.keys('cart-lines:*');
    return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await client.hgetall(key)] as const)));
  } finally {
    client.disconnect();
  }
}

describe('redis shop behind Sentinel', () => {
  it('follows a failover to the promoted replica without a restart, keeping the carts the replica had', async () => {
    const set = await startRedisReplication({ replicas: 1, downAfterMs: 1_000 });
    sets.push(set);
    const [primary, replica] = set.servers;
    const instance = await scope.cart({
      mode: 'redis',
      id: 'redis-1',
      env: { REDIS_SENTINELS: set.sentinelAddresses },
    });
    const shopper = new ShopClient(instance.url);
    expect((await shopper.add('kettle', 1)).status).toBe(200);
    expect((await shopper.add('mug', 2)).status).toBe(200);
    expect((await set.primary()).port).toBe(primary?.port);
    // replication is asynchronous: the experiment starts once the replica has what was acknowledged
    const written = await carts(primary?.port as number);
    await waitUntil(
      async () => JSON.stringify(await carts(replica?.port as number)) === JSON.stringify(written),
      'the replica to catch up',
    );

    const pid = instance.child.pid;
    await primary?.kill();
    // the Sentinels need a second to agree and elect; on a busy machine everything around that takes longer
    await waitUntil(async () => (await shopper.add('honey', 1)).status === 200, 'the shop to write again', {
      timeoutMs: 60_000,
      intervalMs: 100,
    });

    expect((await set.primary()).port).toBe(replica?.port);
    expect(instance.child.pid).toBe(pid);
    expect(instance.child.running).toBe(true);
    const cart = await shopper.getCart();
    expect(cart.body.items.map((line) => [line.sku, line.qty])).toEqual([
      ['kettle', 1],
      ['mug', 2],
      ['honey', 1],
    ]);
  }, 120_000);
});
