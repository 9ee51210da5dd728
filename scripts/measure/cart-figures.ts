// Measures the shop's own figures: GET /api/cart latency per session design, and how many lines a JWT cart holds.
import autocannon from 'autocannon';
import { startCartInstance, type CartInstance, type SessionMode } from '../process/cart-instance.ts';
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
  const result = await autocannon({ url: `${instance.url}/api/cart`, connections: CONNECTIONS, duration: DURATION_S, headers: { cookie } });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${instance.id}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: Math.round(result.requests.average) };
}

async function jwtCapacity(instance: CartInstance, note: string | undefined): Promise<{ lines: number; cookieBytes: number }> {
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
try {
  for (const mode of modes) instances.push(await startCartInstance({ mode, id: `${mode}-1`, redisUrl: redis?.url, env: { LOG_LEVEL: 'warn' } }));
  console.log(`GET /api/cart, one instance, loopback, ${CONNECTIONS} connections, ${DURATION_S} s, a cart of 3 lines:`);
  console.log('mode    p50 ms  p99 ms  req/s');
  for (const instance of instances) {
    const { p50, p99, rps } = await latency(instance);
    console.log(`${instance.mode.padEnd(8)}${String(p50).padStart(6)}  ${String(p99).padStart(6)}  ${String(rps).padStart(5)}`);
  }
  const jwtInstance = instances.find((instance) => instance.mode === 'jwt');
  if (jwtInstance) {
    const bare = await jwtCapacity(jwtInstance, undefined);
    const noted = await jwtCapacity(jwtInstance, 'n'.repeat(200));
    console.log(`JWT cart without notes: ${bare.lines} lines fit (${bare.cookieBytes}-byte cookie${bare.lines === 36 ? ', the whole catalog' : ''})`);
    console.log(`JWT cart with 200-character notes: ${noted.lines} lines fit (${noted.cookieBytes}-byte cookie), line ${noted.lines + 1} is refused with 413`);
  }
} finally {
  await Promise.all(instances.map((instance) => instance.child.stop()));
  await redis?.close();
}
