// Starts a private redis-server (free port, own temp dir) so that faults can kill it without touching anyone else's
// Redis.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedChild } from './child.ts';
import { freePort } from './free-port.ts';

/** How to run the private Redis. */
export interface RedisServerOptions {
  /** Keep data across restarts with the append-only file (default true). */
  appendOnly?: boolean;
  /** A fixed port; by default a free one is found. */
  port?: number;
  /** Receives every log line of the server. */
  onLine?: (line: string) => void;
  /** More settings, e.g. `['--replicaof', '127.0.0.1', '6380']` for a replica. */
  extraArgs?: readonly string[];
}

/** A running private redis-server; `restart` keeps its port and data directory. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly child: ManagedChild;
  /** SIGKILL: an outage without a goodbye. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and directory (after kill or stop). */
  start(): Promise<void>;
  /** Ends the server (SIGKILL after `graceMs`, default 2 s) and removes its directory. */
  close(graceMs?: number): Promise<void>;
}

/** True when a redis-server binary is on PATH. */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts redis-server and resolves once it accepts connections. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stickiness-lab-redis-'));
  const appendOnly = options.appendOnly ?? true;
  let attempts = options.port === undefined ? 3 : 1;
  for (;;) {
    const port = options.port ?? (await freePort());
    try {
      const child = await launch(port, dir, appendOnly, options);
      return handle(port, dir, child, appendOnly, options);
    } catch (error) {
      attempts -= 1;
      if (attempts <= 0) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function handle(
  port: number,
  dir: string,
  first: ManagedChild,
  appendOnly: boolean,
  options: RedisServerOptions,
): RedisServer {
  let child = first;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get child() {
      return child;
    },
    async kill() {
      await child.kill();
    },
    async start() {
      if (child.running) return;
      child = await launch(port, dir, appendOnly, options);
    },
    async close(graceMs = 2_000) {
      await child.stop(graceMs);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(
  port: number,
  dir: string,
  appendOnly: boolean,
  options: RedisServerOptions,
): Promise<ManagedChild> {
  const onLine = options.onLine;
  const child = new ManagedChild({
    name: `redis-server:${port}`,
    command: 'redis-server',
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      appendOnly ? 'yes' : 'no',
      // fsync on every write: slower, but a SIGKILL then loses no cart, so the lab's outcome is deterministic
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
      ...(options.extraArgs ?? []),
    ],
    onLine: onLine && ((line) => onLine(line)),
  });
  try {
    await child.waitForLine(
      (line) => (line.includes('Ready to accept connections') ? true : undefined),
      'its ready line',
    );
  } catch (error) {
    await child.kill();
    throw error;
  }
  return child;
}
