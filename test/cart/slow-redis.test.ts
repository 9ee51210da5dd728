// The redis shop behind a slow or stalled Redis: answers stay bounded, and no add answered 200 is ever lost.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogItems } from '../../apps/cart/catalog.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import { startTcpRelay, type TcpRelay } from '../../scripts/relay/tcp-relay.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { useProcesses } from '../helpers/processes.ts';

const scope = useProcesses('each');
const relays: TcpRelay[] = [];
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
});

const skus = catalogItems().map((item) => item.sku);

describe('redis shop behind a slow Redis', { timeout: 90_000 }, () => {
  it('keeps every acknowledged add through latency below and above its command timeout, and a stall', async () => {
    const redis = await scope.redis({ appendOnly: false });
    const relay = await startTcpRelay({ upstreamPort: redis.port });
    relays.push(relay);
    const env = { SESSION_SECRET: randomBytes(24).toString('base64url') };
    const instances = await Promise.all(
      [1, 2].map((n) =>
        scope.cart({ mode: 'redis', id: `redis-${n}`, redisUrl: `redis://127.0.0.1:${relay.port}`, env }),
      ),
    );
    const jar = new Map<string, string>();
    const tabs = instances.map((instance) => new ShopClient(instance.url, { cookies: jar, timeoutMs: 10_000 }));
    expect((await tabs[0]?.add('mug', 1))?.status).toBe(200);
    const acknowledged = new Set(['mug']);
    const statuses: number[] = [];
    let next = 1;
    const burst = async () => {
      const wanted = Array.from({ length: 6 }, () => skus[next++ % skus.length] as string);
      const answers = await Promise.all(
        wanted.map((sku, index) => (tabs[index % tabs.length] as ShopClient).add(sku, 1)),
      );
      answers.forEach((answer, index) => {
        statuses.push(answer.status);
        if (answer.status === 200) acknowledged.add(wanted[index] as string);
      });
      return answers.map((answer) => answer.status);
    };

    relay.set('latency', { ms: 100 }); // under the shops' 500 ms command timeout: slower, but answered
    expect(await burst()).toEqual(Array(6).fill(200));
    relay.set('latency', { ms: 900 }); // over it: refused with 503, never acknowledged and then lost
    await burst();
    relay.set('stall');
    await burst();
    relay.clear();
    await waitUntil(async () => (await tabs[0]?.getCart())?.status === 200, 'the shop to read carts again');
    await burst();

    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    const cart = await tabs[1]?.getCart();
    const held = new Set(cart?.body.items.map((line) => line.sku));
    expect([...acknowledged].filter((sku) => !held.has(sku))).toEqual([]);
  });
});
