// Starts one cart instance from flags and environment, and shuts it down gracefully on SIGTERM or Ctrl-C.
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createCartApp } from './app.ts';
import { type CartConfig, DEMO_JWT_SECRET, DEMO_SESSION_SECRET, loadConfig, ShopConfigError } from './config.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { createSessionDesign } from './sessions/registry.ts';

const SHUTDOWN_GRACE_MS = 4_000;
// Long enough for a local Redis to answer, short enough that a Redis outage does not keep the shop from starting.
const STORE_READY_WAIT_MS = 2_000;

const USAGE =
  'usage: npm run app -- --mode memory|redis|jwt [--port P] [--id ID] [--redis-url URL] [--host H] ' +
  '[--base-path /P] [--cart-writes atomic|whole-session]';

/** The settings from flags and environment; `--help` prints the usage and exits 0, a mistake exits 2. */
function readConfig(): CartConfig {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  try {
    return loadConfig(argv, process.env);
  } catch (error) {
    if (!(error instanceof ShopConfigError)) throw error;
    process.stderr.write(`cart app: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const config = readConfig();
const logger = pino({ level: config.logLevel, base: { instance: config.id, mode: config.mode } });
// Start and stop lines are always printed: tools read the port from them, whatever the log level.
const lifecycle = logger.child({}, { level: 'info' });

if (config.mode !== 'jwt' && config.sessionSecret === DEMO_SESSION_SECRET) {
  lifecycle.warn('SESSION_SECRET is the demo default; set your own outside the lab');
}
if (config.mode === 'jwt' && config.jwtSecret === DEMO_JWT_SECRET) {
  lifecycle.warn('JWT_SECRET is the demo default; set your own outside the lab');
}

let shuttingDown = false;
const design = await createSessionDesign(config, logger);
const { app, startDraining } = createCartApp({ config, design, logger });

await design.ready(STORE_READY_WAIT_MS);
if (design.storeStatus() === 'unavailable') {
  lifecycle.warn('session store not reachable yet: starting anyway, cart calls answer 503 until it is');
}

const server: Server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  lifecycle.info({ port, host: config.host, basePath: config.basePath }, 'listening');
});
answerClientErrors(server, config.id);
server.on('error', (error) => {
  lifecycle.fatal({ err: error }, 'cannot listen');
  process.exit(1);
});

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  startDraining();
  lifecycle.info({ signal }, 'shutting down: finishing in-flight requests');
  const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  force.unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearTimeout(force);
  await design.close();
  lifecycle.info('stopped');
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
