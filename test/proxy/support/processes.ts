// Real processes for proxy integration tests: the proxy from a config file, echo backends; all stopped after each test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { stringify } from 'yaml';
import { projectRoot } from '../../../scripts/process/cart-instance.ts';
import { ManagedChild } from '../../../scripts/process/child.ts';
import { waitForHttp } from '../../../scripts/process/wait.ts';

/** A running proxy process. */
export interface ProxyProcess {
  readonly child: ManagedChild;
  readonly port: number;
  readonly controlPort: number;
  /** `http://127.0.0.1:PORT` of the public listener. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` of the control port. */
  readonly control: string;
  /** The listening line, parsed. */
  readonly listening: Record<string, unknown>;
}

/** A running echo backend. */
export interface EchoBackend {
  readonly id: string;
  readonly port: number;
  readonly url: string;
  readonly child: ManagedChild;
}

const started: ManagedChild[] = [];
const directories: string[] = [];

// Every process a test starts ends with that test, passed or failed.
afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.stop(2_000)));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Writes `config` as YAML to a fresh temporary file and returns its path. */
export function writeConfig(config: unknown): string {
  const directory = mkdtempSync(join(tmpdir(), 'proxy-test-'));
  directories.push(directory);
  const file = join(directory, 'proxy.yaml');
  writeFileSync(file, typeof config === 'string' ? config : stringify(config));
  return file;
}

/**
 * Starts `entry` (default `proxy/main.ts`, as `npm run proxy` does; `lab/main.ts` is the lab proxy) with `args` under
 * tsx.
 */
export function spawnProxy(args: string[], env: Record<string, string> = {}, entry = 'proxy/main.ts'): ManagedChild {
  const child = new ManagedChild({
    name: entry === 'proxy/main.ts' ? 'proxy' : 'lab-proxy',
    command: process.execPath,
    args: ['--import', 'tsx', entry, ...args],
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', PROXY_COOKIE_SECRET: 'integration-test-secret-0123456789', ...env },
  });
  started.push(child);
  return child;
}

/**
 * Starts the proxy (or, with `entry`, the lab proxy) with `config` on ports chosen by the kernel and waits for its
 * `listening` line.
 */
export async function startProxy(
  config: Record<string, unknown>,
  options: { env?: Record<string, string>; entry?: string } = {},
): Promise<ProxyProcess> {
  const file = writeConfig({ listener: { host: '127.0.0.1', port: 0 }, control: { port: 0 }, ...config });
  const child = spawnProxy(['--config', file], options.env, options.entry);
  const listening = await child.waitForLine(listeningRecord, 'its listening line', 15_000);
  const port = listening.port as number;
  const controlPort = listening.controlPort as number;
  return {
    child,
    port,
    controlPort,
    url: `http://127.0.0.1:${port}`,
    control: `http://127.0.0.1:${controlPort}`,
    listening,
  };
}

/** Starts an echo backend (test/fixtures/echo-backend.ts) and waits until it answers. */
export function startEcho(id: string, port = 0, env: Record<string, string> = {}): Promise<EchoBackend> {
  return startBackend('test/fixtures/echo-backend.ts', id, port, env);
}

/** Starts the misbehaving backend (support/odd-backend.ts) and waits until it answers. */
export function startOddBackend(id: string, env: Record<string, string> = {}): Promise<EchoBackend> {
  return startBackend('test/proxy/support/odd-backend.ts', id, 0, env);
}

async function startBackend(
  script: string,
  id: string,
  port: number,
  env: Record<string, string>,
): Promise<EchoBackend> {
  const child = new ManagedChild({
    name: id,
    command: process.execPath,
    args: ['--import', 'tsx', script, '--id', id, '--port', String(port)],
    cwd: projectRoot,
    env: { ...process.env, ...env },
  });
  started.push(child);
  const record = await child.waitForLine(listeningRecord, 'its listening line', 15_000);
  const url = `http://127.0.0.1:${record.port as number}`;
  await waitForHttp(`${url}/healthz`);
  return { id, port: record.port as number, url, child };
}

/** Registers a child started elsewhere (e.g. a cart instance) so it is stopped after the test too. */
export function track(child: ManagedChild): void {
  started.push(child);
}

function listeningRecord(line: string): Record<string, unknown> | undefined {
  if (!line.includes('"listening"')) return undefined;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    return record.msg === 'listening' && typeof record.port === 'number' ? record : undefined;
  } catch {
    return undefined;
  }
}
