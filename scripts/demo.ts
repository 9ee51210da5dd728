// `npm run demo`: the whole lab as local processes (Redis, nine shop instances, the proxy) until Ctrl-C.

import { parseArgs } from 'node:util';
import { z } from 'zod';
import { cartWritesSettings } from '../apps/cart/config.ts';
import { sessionModes } from '../contract/wire.ts';
import { faultCatalogue } from '../lab/faults/catalogue.ts';
import { NativeStack } from './stack/native-stack.ts';
import { startSupervisor } from './stack/supervisor-api.ts';
import { DEMO_CONFIG } from './stack/topology.ts';

const port = z.coerce.number().int().min(0).max(65_535);
const USAGE =
  'usage: npm run demo [-- --port 8080 --control-port 8081 --config FILE --free-ports ' +
  '--no-redis-persistence --redis single|replicated --cart-writes atomic|whole-session]';
/** The Redis topologies of the redis shop: one server, or a primary with a replica behind three Sentinels. */
const redisTopologies = ['single', 'replicated'] as const;

function readOptions() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: 'string' },
      'control-port': { type: 'string' },
      config: { type: 'string' },
      'free-ports': { type: 'boolean' },
      'no-redis-persistence': { type: 'boolean' },
      'cart-writes': { type: 'string' },
      redis: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const proxyPort = values.port ?? process.env.PROXY_PORT;
  const controlPort = values['control-port'] ?? process.env.CONTROL_PORT;
  return {
    configPath: values.config ?? DEMO_CONFIG,
    proxyPort:
      proxyPort === undefined
        ? undefined
        : port.parse(proxyPort, { error: () => `--port: expected a port number, got "${proxyPort}"` }),
    controlPort:
      controlPort === undefined
        ? undefined
        : port.parse(controlPort, { error: () => `--control-port: expected a port number, got "${controlPort}"` }),
    redisPersistence: !values['no-redis-persistence'],
    redis: z
      .enum(redisTopologies, {
        error: () =>
          `--redis: expected ${redisTopologies.join(' or ')}, got "${values.redis ?? process.env.LAB_REDIS}"`,
      })
      .default('single')
      .parse(values.redis ?? process.env.LAB_REDIS),
    ports: values['free-ports'] ? ('free' as const) : ('config' as const),
    cartWrites: z
      .enum(cartWritesSettings, {
        error: () => `--cart-writes: expected ${cartWritesSettings.join(' or ')}, got "${values['cart-writes']}"`,
      })
      .default('atomic')
      .parse(values['cart-writes'] ?? process.env.CART_WRITES),
  };
}

let options: ReturnType<typeof readOptions>;
try {
  options = readOptions();
} catch (error) {
  const message =
    error instanceof z.ZodError ? error.issues.map((issue) => issue.message).join('; ') : (error as Error).message;
  process.stderr.write(`demo: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const started = performance.now();
let stack: NativeStack | undefined;
// Its secret is known only to the lab's own processes: the proxy (in its environment) and this user's CLIs (in a
// private file).
const supervisor = await startSupervisor(() => stack);
const log = (line: string) => process.stdout.write(`${line}\n`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping every process of the lab`);
  await stack?.close();
  supervisor.close();
  log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  // The scenarios that play shoppers behind a front proxy (nat-skew, scale-out) send X-Forwarded-For from
  // this machine; trusting loopback lets them run on this lab, where the console's chart shows their load.
  stack = await NativeStack.start({
    ...options,
    lab: { orchestrator: 'native', supervisorUrl: supervisor.url, supervisorSecret: supervisor.secret },
    log,
    redisReplication:
      options.redis === 'replicated' ? { replicas: 1, appendOnly: options.redisPersistence } : undefined,
    // a single Redis is reached through the lab relay, so that `slow`, `stall` and `heal` work on the running demo
    redisRelay: true,
    proxyOverrides: { trustedProxies: ['127.0.0.1'] },
  });
} catch (error) {
  process.stderr.write(`demo: could not start the lab: ${(error as Error).message}\n`);
  supervisor.close();
  process.exit(1);
}

await stack.refreshRedisRoles();
const services = stack.services();
const running = (pool: string) => services.some((service) => service.pool === pool && service.state === 'running');
log('');
for (const pool of sessionModes) {
  log(`  ${pool.padEnd(7)} shop  ${running(pool) ? `${stack.shopUrl(pool)}/` : '(not running)'}`);
}
log(
  `  cart writes  ${options.cartWrites} in the memory and redis shops` +
    (options.cartWrites === 'whole-session' ? ' (the lost-update lesson: the last save wins)' : ''),
);
log(`  redis        ${redisLine(services)}`);
log(`  status page  ${stack.proxy.controlUrl}/`);
log(`  console      ${stack.proxy.controlUrl}/console/`);
log(
  `  faults       npm run fault -- crash memory-1   ` +
    `(or ${[...faultCatalogue.keys()].filter((name) => name !== 'crash').join(', ')})`,
);
log('');
log(
  `ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `${services.filter((service) => service.state === 'running').length} processes; Ctrl-C stops them all`,
);

/** Which Redis topology runs, and who is primary in a replicated one. */
function redisLine(rows: typeof services): string {
  const servers = rows.filter((row) => row.kind === 'redis');
  const primary = servers.find((row) => row.role === 'primary');
  if (!servers.some((row) => row.port)) return 'none (redis-server is missing)';
  if (!primary) {
    const relay =
      servers[0]?.toxic === undefined ? '' : ', through the lab relay: npm run fault -- slow redis --ms 800';
    return `single (port ${servers[0]?.port})${relay}`;
  }
  const replicas = `${servers.length - 1} ${servers.length === 2 ? 'replica' : 'replicas'}`;
  const sentinels = rows.filter((row) => row.kind === 'sentinel').length;
  return (
    `replicated: primary ${primary.id} (port ${primary.port}), ${replicas}, ${sentinels} Sentinels; ` +
    'npm run fault -- crash redis-primary, or failover redis'
  );
}
