// The failover phase: steady load through a proxy, SIGKILL one of three backends, count failed requests and time the
// detection.
import { waitUntil } from '../process/wait.ts';
import type { BackendSet } from './backends.ts';
import type { Contender, ContenderContext } from './contender.ts';
import { startLoad } from './load.ts';

/** The backend that is killed: the middle one of three. */
const VICTIM = 1;

/** How the phase runs for each proxy. */
export interface FailoverPlan {
  /** Load runs this long in all; the kill comes after a third of it. */
  seconds: number;
  connections: number;
}

/** One proxy's failover figures. */
export interface FailoverFigures {
  name: string;
  /** Non-2xx answers and transport errors the clients saw during the whole run. */
  failedRequests: number;
  /**
   * From the SIGKILL until the proxy itself reported the backend out of service; null if it never did within the run.
   */
  detectionMs: number | null;
  /** Requests answered during the run. */
  requests: number;
}

/** Runs the failover measurement for one proxy contender, then starts the killed backend again for the next one. */
export async function measureFailover(
  contender: Contender,
  context: ContenderContext,
  plan: FailoverPlan,
): Promise<FailoverFigures> {
  const running = await contender.start(context);
  try {
    const load = startLoad({ url: running.url, connections: plan.connections, seconds: plan.seconds });
    const killAfterMs = (plan.seconds * 1_000) / 3;
    const loadStarted = performance.now();
    await waitUntil(() => performance.now() - loadStarted >= killAfterMs, 'steady load before the kill', {
      timeoutMs: killAfterMs + 1_000,
      intervalMs: 20,
    });
    const remainingMs = plan.seconds * 1_000 - killAfterMs;
    const out = running.waitUntilOut?.(VICTIM, remainingMs) ?? Promise.resolve(undefined);
    const killedAt = performance.now();
    await killVictim(context.backends);
    const outAt = await out;
    const figures = await load.done;
    return {
      name: contender.name,
      failedRequests: figures.errors,
      detectionMs: outAt === undefined ? null : Math.max(0, outAt - killedAt),
      requests: figures.requests,
    };
  } finally {
    await running.stop();
    await context.backends.restart(VICTIM);
  }
}

async function killVictim(backends: BackendSet): Promise<void> {
  await backends.backends[VICTIM]!.child.kill();
}
