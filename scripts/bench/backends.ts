// The three backends every contender forwards to: jwt shop instances or minimal echo servers, on free ports.
import { bundledEntry } from '../process/bundle.ts';
import { startCartInstance } from '../process/cart-instance.ts';
import { ManagedChild } from '../process/child.ts';
import { listeningPort } from '../process/listening-line.ts';
import { projectRoot } from '../process/project-root.ts';
import { waitForHttp } from '../process/wait.ts';

/** `shop`: the lab's cart app in jwt mode (a real Express app); `echo`: a fixed answer (the proxy's cost alone). */
export type BackendKind = 'shop' | 'echo';

/** One running backend. */
export interface Backend {
  readonly id: string;
  readonly port: number;
  readonly child: ManagedChild;
}

/** The three backends of one bench run, and what to request from them. */
export interface BackendSet {
  readonly kind: BackendKind;
  /** The path every load generator requests, e.g. `/jwt/api/catalog`. */
  readonly path: string;
  /** The path health checks use. */
  readonly healthPath: string;
  readonly backends: Backend[];
  /** Starts backend `index` again on its old port (after a kill). */
  restart(index: number): Promise<void>;
  /** Stops every backend. */
  close(): Promise<void>;
}

const BACKEND_COUNT = 3;
// The echo server answers any path; the same path for both kinds keeps every proxy config identical.
const REQUEST_PATH = '/jwt/api/catalog';

/** Starts three backends of `kind` and resolves once each answers. */
export async function startBackends(kind: BackendKind): Promise<BackendSet> {
  const ids = Array.from({ length: BACKEND_COUNT }, (_, index) => `${kind === 'shop' ? 'jwt' : 'echo'}-${index + 1}`);
  const backends = await Promise.all(ids.map((id) => startOne(kind, id, 0)));
  return {
    kind,
    path: REQUEST_PATH,
    healthPath: '/healthz',
    backends,
    async restart(index) {
      const old = backends[index]!;
      await old.child.stop(1_000);
      backends[index] = await startOne(kind, old.id, old.port);
    },
    async close() {
      await Promise.all(backends.map((backend) => backend.child.stop(2_000)));
    },
  };
}

async function startOne(kind: BackendKind, id: string, port: number): Promise<Backend> {
  if (kind === 'shop') {
    const instance = await startCartInstance({ mode: 'jwt', id, port });
    return { id, port: instance.port, child: instance.child };
  }
  const child = new ManagedChild({
    name: id,
    command: process.execPath,
    args: [await bundledEntry('scripts/bench/echo-server.ts'), '--id', id, '--port', String(port)],
    cwd: projectRoot,
  });
  try {
    const listening = await child.waitForLine(listeningPort, 'its listening line');
    await waitForHttp(`http://127.0.0.1:${listening}/healthz`);
    return { id, port: listening, child };
  } catch (error) {
    await child.kill();
    throw error;
  }
}
