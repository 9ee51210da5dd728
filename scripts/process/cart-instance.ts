// Starts one cart app instance as a real child process and waits until it serves.
import type { SessionMode } from '../../contract/wire.ts';
import { bundledEntry } from './bundle.ts';
import { ManagedChild } from './child.ts';
import { listeningRecord } from './listening-line.ts';
import { projectRoot } from './project-root.ts';
import { waitForHttp, waitUntil } from './wait.ts';

export type { SessionMode };
export { projectRoot };

/** What to start. */
export interface CartInstanceOptions {
  mode: SessionMode;
  id: string;
  /** 0 (default) lets the kernel choose; the instance reports the port it got. */
  port?: number;
  host?: string;
  redisUrl?: string;
  /** The shop's path (default `/MODE`), e.g. `/redis-whole-session` for a second redis shop. */
  basePath?: string;
  /** `atomic` (the shop's default) or `whole-session`; ignored by jwt. */
  cartWrites?: string;
  /**
   * In redis mode, resolve only once `/healthz` reports the session store `ok` (default true). The shop itself gives
   * its store two seconds and then starts anyway, answering 503 until it connects; on a busy machine that window can
   * pass, and a cart written in it is refused. `false` starts a shop while its Redis is meant to be away.
   */
  awaitStore?: boolean;
  /** Extra environment, e.g. `SESSION_SECRET` or `LOG_LEVEL`. */
  env?: Record<string, string>;
  onLine?: (line: string) => void;
}

/** A running cart instance. */
export interface CartInstance {
  readonly id: string;
  readonly mode: SessionMode;
  readonly port: number;
  /** `http://127.0.0.1:PORT`, without the mode's base path. */
  readonly origin: string;
  /** The shop's base URL, e.g. `http://127.0.0.1:PORT/memory`. */
  readonly url: string;
  readonly child: ManagedChild;
}

/** Spawns `apps/cart/main.ts` (bundled) and resolves once `/healthz` answers (in redis mode, with its store `ok`). */
export async function startCartInstance(options: CartInstanceOptions): Promise<CartInstance> {
  const host = options.host ?? '127.0.0.1';
  const args = [
    await bundledEntry('apps/cart/main.ts'),
    '--mode',
    options.mode,
    '--id',
    options.id,
    '--port',
    String(options.port ?? 0),
    '--host',
    host,
  ];
  if (options.redisUrl) args.push('--redis-url', options.redisUrl);
  if (options.basePath) args.push('--base-path', options.basePath);
  if (options.cartWrites) args.push('--cart-writes', options.cartWrites);
  const child = new ManagedChild({
    name: options.id,
    command: process.execPath,
    args,
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...options.env },
    onLine: options.onLine && ((line) => options.onLine?.(line)),
  });
  try {
    const port = await child.waitForLine(listeningPort, 'its listening line', 15_000);
    const origin = `http://${host}:${port}`;
    await waitForHttp(`${origin}/healthz`);
    if (options.mode === 'redis' && options.awaitStore !== false) await waitForStore(options.id, origin);
    return {
      id: options.id,
      mode: options.mode,
      port,
      origin,
      url: `${origin}${options.basePath ?? `/${options.mode}`}`,
      child,
    };
  } catch (error) {
    await child.kill();
    throw error;
  }
}

/** Resolves once the instance reports its session store connected; a clear error after ten seconds. */
function waitForStore(id: string, origin: string): Promise<void> {
  return waitUntil(
    async () => {
      const answer = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1_000) });
      return ((await answer.json()) as { store?: unknown }).store === 'ok';
    },
    `${id} to reach its session store (it serves, but /healthz reports the store unavailable)`,
    { timeoutMs: 10_000 },
  );
}

/** The port from the instance's `listening` log line, if this line is it. */
function listeningPort(line: string): number | undefined {
  const port = listeningRecord(line)?.port;
  return typeof port === 'number' ? port : undefined;
}
