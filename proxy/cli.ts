// The proxy's command line (`--config FILE [--port N] [--control-port N]`), shared by `npm run proxy` (proxy/main.ts)
// and the lab proxy, which adds its routes to the control port.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load.ts';
import type { ControlRoutes } from './control/control-server.ts';
import { allowedHostsFromEnv } from './control/lab-guard.ts';
import { createLoggers } from './log.ts';
import { startProxy } from './proxy.ts';

const DEMO_COOKIE_SECRET = 'stickiness-lab-demo-secret-not-for-production';
/** Cookie secrets anyone can read in this repository: the default above and compose.yaml's. */
const PUBLIC_COOKIE_SECRETS = new Set([DEMO_COOKIE_SECRET, 'demo-proxy-cookie-secret-change-me']);
const PROXY_USAGE =
  'usage: npm run proxy -- --config FILE [--port N] [--control-port N]  ' +
  '(env: PROXY_PORT, CONTROL_PORT, PROXY_COOKIE_SECRET, LAB_ALLOWED_HOSTS, LOG_LEVEL)';

/** Whether a listen address only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Exit codes: 2 for a wrong command line or config, 1 for a failure to start. */
function fail(message: string, code: number): never {
  process.stderr.write(`proxy: ${message}\n`);
  process.exit(code);
}

function portOption(value: string | undefined, name: string, usage: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail(`${name} must be a port number from 0 to 65535, got "${value}"\n${usage}`, 2);
  return port;
}

/** How a starter of the proxy extends its command. */
export interface ProxyCommand {
  /** The usage line, when the command is not `npm run proxy`. */
  usage?: string;
  /** Routes to mount on the control port. */
  controlRoutes?: ControlRoutes;
}

/** Reads the command line and the environment, starts the proxy, and stops it on SIGTERM or SIGINT. */
export async function runProxyCommand(command: ProxyCommand = {}): Promise<void> {
  const usage = command.usage ?? PROXY_USAGE;
  let values: { config?: string; port?: string; 'control-port'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        'control-port': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (values.config === undefined) fail(`--config is required\n${usage}`, 2);

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(values.config);
  } catch (error) {
    if (error instanceof ConfigError) fail(`config refused: ${error.message}`, 2);
    throw error;
  }
  const port = portOption(values.port, '--port', usage) ?? portOption(process.env.PROXY_PORT, 'PROXY_PORT', usage);
  const controlPort =
    portOption(values['control-port'], '--control-port', usage) ??
    portOption(process.env.CONTROL_PORT, 'CONTROL_PORT', usage);
  if (port !== undefined) config.listener.port = port;
  if (controlPort !== undefined) config.control.port = controlPort;

  const { log, lifecycle } = createLoggers();
  const cookieSecret = process.env.PROXY_COOKIE_SECRET || config.cookieSecret || DEMO_COOKIE_SECRET;
  if (PUBLIC_COOKIE_SECRETS.has(cookieSecret)) {
    log.warn(
      isLoopback(config.listener.host)
        ? 'using the public demo cookie secret; set PROXY_COOKIE_SECRET (or cookieSecret in the config) outside the lab'
        : `the public listener on ${config.listener.host} is reachable from other machines and signs its sticky ` +
            'cookie with the public demo secret: anyone can forge it. ' +
            "Set PROXY_COOKIE_SECRET (and the shops' SESSION_SECRET and JWT_SECRET) to random values, " +
            'e.g. `openssl rand -base64 32`, ' +
            'or bind the listener to 127.0.0.1',
    );
  }

  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy(config, {
      log,
      cookieSecret,
      allowedHosts: allowedHostsFromEnv(),
      controlRoutes: command.controlRoutes,
    });
  } catch (error) {
    lifecycle.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  lifecycle.info(
    {
      port: proxy.port,
      controlPort: proxy.controlPort,
      host: config.listener.host,
      controlHost: config.control.host,
      pools: [...proxy.fleet.pools.keys()],
    },
    'listening',
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    lifecycle.info({ signal }, 'stopping');
    void proxy.close().then(() => {
      lifecycle.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
