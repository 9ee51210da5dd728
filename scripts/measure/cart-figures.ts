// Measures the shop's own figures: GET and POST latency per session design and cart-write setting, and how many lines a
// JWT cart holds.
import autocannon from 'autocannon';
import { catalogItems } from '../../apps/cart/catalog.ts';
import { type CartInstance, type SessionMode, startCartInstance } from '../process/cart-instance.ts';
import { hasRedisServer, startRedisServer } from '../process/redis-server.ts';
import { ShopClient } from '../shopper/shop-client.ts';

const DURATION_S = Number(process.env.MEASURE_SECONDS ?? 5);
const CONNECTIONS = 10;

async function latency(instance: CartInstance): Promise<{ p50: number; p99: number; rps: number }> {
  const shopper = new ShopClient(instance.url);
  for (const sku of ['tea-green', 'mug', 'honey']) await shopper.add(sku, 2, 'a short gift note');
  const cookie = [...shopper.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  // a short warm-up so that JIT and connection set-up are not measured
  await autocannon({ url: `${instance.url}/api/cart`, connections: CONNECTIONS, duration: 1, headers: { cookie } });
  const result = await autocannon({
    url: `${instance.url}/api/cart`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { cookie },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${instance.id}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: Math.round(result.requests.average) };
}

/** Adds before a round's cart is cleared: below 36 lines × 99, so no add meets the quantity limit. */
const ADDS_PER_ROUND = 3_000;
const ADD_ROUNDS = 3;

/**
 * `POST /api/cart/items` with one session, the adds spread over the whole catalog; the cart is emptied between rounds.
 */
async function addLatency(instance: CartInstance): Promise<{ p50: number; p99: number; rps: number }> {
  const shopper = new ShopClient(instance.url);
  const skus = catalogItems().map((item) => item.sku);
  await shopper.add(skus[0] as string, 1);
  const cookie = [...shopper.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  // a request's path replaces the URL's, so it carries the shop's base path itself
  const path = `${new URL(instance.url).pathname}/api/cart/items`;
  const requests = skus.map((sku) => ({ method: 'POST' as const, path, body: JSON.stringify({ sku, qty: 1 }) }));
  const options = {
    url: instance.url,
    connections: CONNECTIONS,
    headers: { cookie, 'content-type': 'application/json' },
    requests,
  };
  await autocannon({ ...options, amount: 500 });
  const p50: number[] = [];
  const p99: number[] = [];
  const rps: number[] = [];
  for (let round = 0; round < ADD_ROUNDS; round += 1) {
    await shopper.clear();
    if (instance.mode !== 'jwt') await shopper.add(skus[0] as string, 1);
    const started = performance.now();
    const result = await autocannon({
      ...options,
      headers: {
        ...options.headers,
        cookie: [...shopper.cookies].map(([name, value]) => `${name}=${value}`).join('; ') || cookie,
      },
      amount: ADDS_PER_ROUND,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${instance.id}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    p50.push(result.latency.p50);
    p99.push(result.latency.p99);
    // per-second buckets are too coarse for rounds of a few seconds: requests over the round's own time
    rps.push((ADDS_PER_ROUND * 1000) / (performance.now() - started));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return { p50: median(p50), p99: median(p99), rps: Math.round(median(rps)) };
}

async function jwtCapacity(
  instance: CartInstance,
  note: string | undefined,
): Promise<{ lines: number; cookieBytes: number }> {
  const shopper = new ShopClient(instance.url);
  const catalog = await shopper.request<{ items: { sku: string }[] }>('GET', '/api/catalog');
  let cookieBytes = 0;
  let lines = 0;
  for (const { sku } of catalog.body.items) {
    const answer = await shopper.add(sku, 1, note);
    if (answer.status === 413) break;
    if (answer.status !== 200) throw new Error(`unexpected ${answer.status} while filling the JWT cart`);
    lines += 1;
    cookieBytes = Buffer.byteLength(answer.headers.getSetCookie()[0] ?? '');
  }
  return { lines, cookieBytes };
}

const redis = hasRedisServer() ? await startRedisServer({ appendOnly: false }) : undefined;
const modes: SessionMode[] = redis ? ['memory', 'redis', 'jwt'] : ['memory', 'jwt'];
const instances: CartInstance[] = [];
const writers: { label: string; instance: CartInstance }[] = [];
try {
  for (const mode of modes)
    instances.push(
      await startCartInstance({ mode, id: `${mode}-1`, redisUrl: redis?.url, env: { LOG_LEVEL: 'warn' } }),
    );
  for (const mode of modes.filter((candidate) => candidate !== 'jwt')) {
    const instance = await startCartInstance({
      mode,
      id: `${mode}-ws`,
      redisUrl: redis?.url,
      cartWrites: 'whole-session',
      env: { LOG_LEVEL: 'warn' },
    });
    writers.push({
      label: `${mode} atomic`,
      instance: instances.find((candidate) => candidate.mode === mode) as CartInstance,
    });
    writers.push({ label: `${mode} whole-session`, instance });
  }
  console.log(`GET /api/cart, one instance, loopback, ${CONNECTIONS} connections, ${DURATION_S} s, a cart of 3 lines:`);
  console.log('mode    p50 ms  p99 ms  req/s');
  for (const instance of instances) {
    const { p50, p99, rps } = await latency(instance);
    console.log(
      `${instance.mode.padEnd(8)}${String(p50).padStart(6)}  ${String(p99).padStart(6)}  ${String(rps).padStart(5)}`,
    );
  }
  console.log(
    `\nPOST /api/cart/items (qty 1, every sku in turn), one session, ${CONNECTIONS} connections, ` +
      `median of ${ADD_ROUNDS} rounds of ${ADDS_PER_ROUND}:`,
  );
  console.log('design                p50 ms  p99 ms  req/s');
  const jwtWriter = instances.find((instance) => instance.mode === 'jwt');
  for (const { label, instance } of [...writers, ...(jwtWriter ? [{ label: 'jwt token', instance: jwtWriter }] : [])]) {
    const { p50, p99, rps } = await addLatency(instance);
    console.log(
      `${label.padEnd(20)}${String(p50).padStart(6)}  ${String(p99).padStart(6)}  ${String(rps).padStart(5)}`,
    );
  }
  const jwtInstance = instances.find((instance) => instance.mode === 'jwt');
  if (jwtInstance) {
    const bare = await jwtCapacity(jwtInstance, undefined);
    const noted = await jwtCapacity(jwtInstance, 'n'.repeat(200));
    console.log(
      `JWT cart without notes: ${bare.lines} lines fit ` +
        `(${bare.cookieBytes}-byte cookie${bare.lines === 36 ? ', the whole catalog' : ''})`,
    );
    console.log(
      `JWT cart with 200-character notes: ${noted.lines} lines fit (${noted.cookieBytes}-byte cookie), ` +
        `line ${noted.lines + 1} is refused with 413`,
    );
  }
} finally {
  await Promise.all(
    [...instances, ...writers.map((writer) => writer.instance)].map((instance) => instance.child.stop()),
  );
  await redis?.close();
}
