// What each session design promises a shopper: the cart API works, and which carts survive a restart or another
// instance.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionMode } from '../../scripts/process/cart-instance.ts';
import type { RedisServer } from '../../scripts/process/redis-server.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { useProcesses } from '../helpers/processes.ts';

const shared = useProcesses('all');
const perTest = useProcesses('each');
let redis: RedisServer;

beforeAll(async () => {
  redis = await shared.redis();
});

const startInstance = (mode: SessionMode, id: string) => perTest.cart({ mode, id, redisUrl: redis.url });

describe.each(['memory', 'redis', 'jwt'] as const)('%s mode', (mode) => {
  const survives = mode !== 'memory';

  it('adds, changes, removes and clears, pricing every line from the catalog', async () => {
    const instance = await startInstance(mode, `${mode}-1`);
    const shopper = new ShopClient(instance.url);

    const catalog = await shopper.request<{ items: { sku: string; unitPrice: number }[] }>('GET', '/api/catalog');
    expect(catalog.status).toBe(200);
    expect(catalog.body.items.length).toBeGreaterThanOrEqual(24);
    const price = (sku: string) => catalog.body.items.find((item) => item.sku === sku)?.unitPrice ?? Number.NaN;

    const empty = await shopper.getCart();
    expect(empty.body).toEqual({ instance: `${mode}-1`, mode, items: [], count: 0, total: 0 });
    expect(empty.servedBy).toBe(`${mode}-1`);

    await shopper.add('tea-green', 2);
    let cart = await shopper.add('mug', 1, 'Happy birthday');
    expect(cart.status).toBe(200);
    expect(cart.body.items).toEqual([
      { sku: 'tea-green', name: 'Green tea, 100 g', qty: 2, unitPrice: price('tea-green') },
      { sku: 'mug', name: 'Stoneware mug', qty: 1, unitPrice: price('mug'), note: 'Happy birthday' },
    ]);

    // qty adds to what is there; a new note replaces the old one
    cart = await shopper.add('mug', 2, 'For Sam');
    expect(cart.body.items[1]).toMatchObject({ sku: 'mug', qty: 3, note: 'For Sam' });
    expect(cart.body.count).toBe(5);
    expect(cart.body.total).toBeCloseTo(2 * price('tea-green') + 3 * price('mug'), 2);

    cart = await shopper.remove('tea-green');
    expect(cart.body.items.map((line) => line.sku)).toEqual(['mug']);
    expect((await shopper.getCart()).body.items.map((line) => line.sku)).toEqual(['mug']);

    cart = await shopper.clear();
    expect(cart.body).toMatchObject({ items: [], count: 0, total: 0 });
    expect((await shopper.getCart()).body.count).toBe(0);
  });

  it(`${survives ? 'keeps' : 'loses'} the cart when the instance restarts`, async () => {
    const first = await startInstance(mode, `${mode}-1`);
    const shopper = new ShopClient(first.url);
    expect((await shopper.add('honey', 3)).status).toBe(200);
    await first.child.stop();
    expect((await first.child.exited).code).toBe(0);

    const again = await perTest.cart({ mode, id: `${mode}-1`, redisUrl: redis.url, port: first.port });
    expect(again.port).toBe(first.port);
    const cart = await shopper.getCart();
    expect(cart.status).toBe(200);
    expect(cart.body.items.map((line) => [line.sku, line.qty])).toEqual(survives ? [['honey', 3]] : []);
  });

  it(`${survives ? 'shows' : 'does not show'} the cart to a second instance`, async () => {
    const [first, second] = await Promise.all([startInstance(mode, `${mode}-1`), startInstance(mode, `${mode}-2`)]);
    const shopper = new ShopClient(first.url);
    expect((await shopper.add('cocoa', 1)).status).toBe(200);

    const elsewhere = new ShopClient(second.url);
    for (const [name, value] of shopper.cookies) elsewhere.cookies.set(name, value);
    const cart = await elsewhere.getCart();
    expect(cart.servedBy).toBe(`${mode}-2`);
    expect(cart.body.items.map((line) => line.sku)).toEqual(survives ? ['cocoa'] : []);
  });
});

describe('every mode', () => {
  it('names the instance on every response, errors and health checks included', async () => {
    const instance = await startInstance('jwt', 'jwt-7');
    const shopper = new ShopClient(instance.origin);
    const answers = await Promise.all([
      shopper.request('GET', '/healthz'),
      shopper.request('GET', '/jwt/healthz'),
      shopper.request('GET', '/jwt/'),
      shopper.request('GET', '/jwt/no-such-page'),
      shopper.request('POST', '/jwt/api/cart/items', '{'),
    ]);
    expect(answers.map((answer) => answer.servedBy)).toEqual(Array(5).fill('jwt-7'));
    expect(answers[0]?.body).toEqual({
      status: 'ok',
      instance: 'jwt-7',
      mode: 'jwt',
      cartWrites: 'token',
      store: 'none',
    });
  });

  it('serves an HTML shop page with the cart, the catalog and a badge naming the instance', async () => {
    const instance = await startInstance('memory', 'memory-2');
    const shopper = new ShopClient(instance.url);
    await shopper.add('teapot', 1, '<script>alert(1)</script>');
    const page = await shopper.request<string>('GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toMatch(/<p class="badge" id="served-by"[^>]*>memory-2 · memory<\/p>/);
    expect(page.body).toContain('Glass teapot, 1 l');
    expect(page.body).toContain('data-add="kettle"');
    // a gift note is shopper input: it must be escaped, never run
    expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page.body).not.toContain('<script>alert(1)</script>');
  });

  it('sets a distinct HttpOnly, SameSite=Lax session cookie per mode, scoped to its base path', async () => {
    const instances = await Promise.all(
      (['memory', 'redis', 'jwt'] as const).map((mode) => startInstance(mode, `${mode}-1`)),
    );
    const cookies = await Promise.all(
      instances.map(async (instance) => {
        const answer = await new ShopClient(instance.url).add('biscuits', 1);
        return answer.headers.getSetCookie().join('\n');
      }),
    );
    expect(cookies[0]).toMatch(/^cart_memory_sid=s%3A[^;]+; Path=\/memory; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    expect(cookies[1]).toMatch(/^cart_redis_sid=s%3A[^;]+; Path=\/redis; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    expect(cookies[2]).toMatch(/^cart_jwt=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=\d+; Path=\/jwt; HttpOnly; SameSite=Lax$/);
  });

  it('marks the session cookie Secure when the trusted proxy in front says the request came over TLS', async () => {
    const instance = await startInstance('memory', 'memory-1');
    const answer = await new ShopClient(instance.url, { headers: { 'x-forwarded-proto': 'https' } }).add('candle', 1);
    expect(answer.headers.getSetCookie()[0]).toMatch(/; Secure/);
  });
});
