// The redis design under a Redis outage: fail fast with 503, keep carts, and recover without restarting the app.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../scripts/process/wait.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { useProcesses } from '../helpers/processes.ts';

const scope = useProcesses('each');

/** The promise of the issue: while Redis is away, a cart call answers 503 within one second. */
const FAIL_FAST_MS = 1_000;

async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await call();
  return { result, ms: performance.now() - started };
}

describe('redis mode when Redis fails', () => {
  it('answers 503 session_store_unavailable fast while Redis is dead, recovers by itself, cart intact', async () => {
    const redis = await scope.redis({ appendOnly: true });
    const instance = await scope.cart({ mode: 'redis', id: 'redis-1', redisUrl: redis.url });
    const shopper = new ShopClient(instance.url);
    await shopper.add('kettle', 1);
    await shopper.add('filter-papers', 2);

    await redis.kill();

    for (const call of [
      () => shopper.getCart(),
      () => shopper.add('mug', 1),
      () => shopper.remove('kettle'),
      () => shopper.clear(),
    ]) {
      const { result, ms } = await timed(call);
      expect(result.status).toBe(503);
      expect(result.body).toEqual({ error: { code: 'session_store_unavailable', message: expect.any(String) } });
      expect(result.servedBy).toBe('redis-1');
      expect(ms).toBeLessThan(FAIL_FAST_MS);
    }
    const health = await shopper.request('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', store: 'unavailable' });

    await redis.start();
    await waitUntil(async () => (await shopper.getCart()).status === 200, 'the app to reach Redis again');
    const cart = await shopper.getCart();
    expect(cart.body.items.map((line) => [line.sku, line.qty])).toEqual([
      ['kettle', 1],
      ['filter-papers', 2],
    ]);
    expect((await shopper.add('mug', 1)).status).toBe(200);
    expect(instance.child.running).toBe(true);
  });

  it('answers 503 within a second when Redis hangs (SIGSTOP) instead of waiting for it', async () => {
    const redis = await scope.redis();
    const instance = await scope.cart({ mode: 'redis', id: 'redis-2', redisUrl: redis.url });
    const shopper = new ShopClient(instance.url);
    await shopper.add('honey', 1);

    await redis.child.pause();
    try {
      const { result, ms } = await timed(() => shopper.getCart());
      expect(result.status).toBe(503);
      expect(result.body).toMatchObject({ error: { code: 'session_store_unavailable' } });
      expect(ms).toBeLessThan(FAIL_FAST_MS);
    } finally {
      redis.child.resume();
    }
    await waitUntil(async () => (await shopper.getCart()).status === 200, 'the app to get answers from Redis again');
    expect((await shopper.getCart()).body.items.map((line) => line.sku)).toEqual(['honey']);
  });

  it('answers 503 session_store_unconfirmed for a change Redis took too long to answer; it lands', async () => {
    const redis = await scope.redis();
    const instance = await scope.cart({ mode: 'redis', id: 'redis-1', redisUrl: redis.url });
    const shopper = new ShopClient(instance.url);
    expect((await shopper.add('kettle', 1)).status).toBe(200);

    // Redis holds every write (the cart's scripts included) for two seconds and keeps answering reads: the add's
    // session read passes, its script waits past the shop's 500 ms command timeout, and runs when the pause ends.
    const admin = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      await admin.call('CLIENT', 'PAUSE', '2000', 'WRITE');
    } finally {
      admin.disconnect();
    }
    const { result, ms } = await timed(() => shopper.add('mug', 1));
    expect(result.status).toBe(503);
    expect(result.body).toMatchObject({ error: { code: 'session_store_unconfirmed' } });
    expect(ms).toBeLessThan(FAIL_FAST_MS);
    // "unconfirmed", not "unchanged": the mug is in the cart once Redis runs the held script
    await waitUntil(
      async () => (await shopper.getCart()).body.items?.some((line) => line.sku === 'mug') === true,
      'the held add to land',
    );
    expect((await shopper.getCart()).body.items.map((line) => [line.sku, line.qty])).toEqual([
      ['kettle', 1],
      ['mug', 1],
    ]);
  });

  it('starts without Redis, fails fast, and serves once Redis comes up', async () => {
    const redis = await scope.redis();
    await redis.kill();
    const instance = await scope.cart({ mode: 'redis', id: 'redis-3', redisUrl: redis.url, awaitStore: false });
    const shopper = new ShopClient(instance.url);

    const refused = await shopper.add('cocoa', 1);
    expect(refused.status).toBe(503);

    await redis.start();
    await waitUntil(
      async () => (await shopper.add('cocoa', 1)).status === 200,
      'the first cart write after Redis started',
    );
    expect((await shopper.getCart()).body.items.map((line) => [line.sku, line.qty])).toEqual([['cocoa', 1]]);
  });
});
