// The redis shop on a replicated Redis: after the primary dies and Sentinel promotes a replica, the same shop
// process writes to the new primary, with no restart and no cart lost that the replica had received.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { CartInstance } from '../../scripts/process/cart-instance.ts';
import { type RedisReplication, startRedisReplication } from '../../scripts/process/redis-replication.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import { startTcpRelay, type TcpRelay } from '../../scripts/relay/tcp-relay.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { useProcesses } from '../helpers/processes.ts';

const scope = useProcesses('each');
const sets: RedisReplication[] = [];
const relays: TcpRelay[] = [];
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
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

/** A primary with one replica and three Sentinels, and a redis shop holding a kettle and two mugs in one cart. */
async function shopWithCart(sentinelAddresses?: (set: RedisReplication) => Promise<string>) {
  const set = await startRedisReplication({ replicas: 1, downAfterMs: 1_000 });
  sets.push(set);
  const instance = await scope.cart({
    mode: 'redis',
    id: 'redis-1',
    env: { REDIS_SENTINELS: sentinelAddresses ? await sentinelAddresses(set) : set.sentinelAddresses },
  });
  const shopper = new ShopClient(instance.url);
  expect((await shopper.add('kettle', 1)).status).toBe(200);
  expect((await shopper.add('mug', 2)).status).toBe(200);
  const [primary, replica] = set.servers as [RedisReplication['servers'][0], RedisReplication['servers'][0]];
  expect((await set.primary()).port).toBe(primary.port);
  // replication is asynchronous: the experiment starts once the replica has what was acknowledged
  const written = await carts(primary.port);
  await waitUntil(
    async () => JSON.stringify(await carts(replica.port)) === JSON.stringify(written),
    'the replica to catch up',
  );
  return { set, instance, shopper, primary, replica };
}

/**
 * Adds honey until the shop takes it and returns how many tries that took; on a timeout, says what the Sentinels and
 * the shop last thought.
 */
async function addUntilTaken(shopper: ShopClient, set: RedisReplication, instance: CartInstance): Promise<number> {
  let lastAnswer = '';
  let tries = 0;
  // the Sentinels need a second to agree and elect; on a busy machine everything around that takes longer
  await waitUntil(
    async () => {
      tries += 1;
      const answer = await shopper.add('honey', 1);
      lastAnswer = `${answer.status} ${JSON.stringify(answer.body)}`;
      return answer.status === 200;
    },
    'the shop to write again',
    { timeoutMs: 60_000, intervalMs: 100 },
  ).catch(async (error: Error) => {
    const shop = instance.child.recentOutput();
    throw new Error(`${error.message}; last answer ${lastAnswer}; ${await set.describe()}\n${shop}`);
  });
  return tries;
}

/**
 * The cart keeps exactly what the replica had, and the honey: once per try at most, because a refused add can have
 * landed all the same (its command timed out after Redis ran it), as the redis-failover scenario counts.
 */
async function expectCartAfterFailover(shopper: ShopClient, tries: number): Promise<void> {
  const lines = (await shopper.getCart()).body.items.map((line) => [line.sku, line.qty] as const);
  expect(lines.filter(([sku]) => sku !== 'honey')).toEqual([
    ['kettle', 1],
    ['mug', 2],
  ]);
  const honey = lines.find(([sku]) => sku === 'honey')?.[1] ?? 0;
  expect(honey).toBeGreaterThanOrEqual(1);
  expect(honey).toBeLessThanOrEqual(tries);
}

describe('redis shop behind Sentinel', () => {
  it('follows a failover to the promoted replica without a restart, keeping the carts the replica had', async () => {
    const { set, instance, shopper, primary, replica } = await shopWithCart();
    const pid = instance.child.pid;
    await primary.kill();
    const tries = await addUntilTaken(shopper, set, instance);

    expect((await set.primary()).port).toBe(replica.port);
    expect(instance.child.pid).toBe(pid);
    expect(instance.child.running).toBe(true);
    await expectCartAfterFailover(shopper, tries);
  }, 120_000);

  it('follows a failover when its Sentinels answer slowly and the first it asks has stopped answering', async () => {
    // Sentinels a slow hop away keep the shop asking them for the primary for most of the failover, so the news of
    // the switch tends to arrive in the middle of a question (where ioredis on its own gives up for good); and a
    // Sentinel that takes connections but never answers must cost a timeout, not the rest of the shop's life.
    const { set, instance, shopper, primary, replica } = await shopWithCart(async (started) => {
      for (const sentinel of started.sentinels) {
        const relay = await startTcpRelay({ upstreamPort: sentinel.port });
        relay.set('latency', { ms: 150 });
        relays.push(relay);
      }
      return relays.map((relay) => `127.0.0.1:${relay.port}`).join(',');
    });
    relays[0]?.set('stall');
    await primary.kill();
    const tries = await addUntilTaken(shopper, set, instance);

    expect((await set.primary()).port).toBe(replica.port);
    await expectCartAfterFailover(shopper, tries);
  }, 120_000);
});
