// The resource phase: the sticky proxy's RSS and open sockets before and after a long run, where a leak shows as
// growth.
import { waitUntil } from '../process/wait.ts';
import type { Contender, ContenderContext } from './contender.ts';
import { runLoad } from './load.ts';
import { rssMb, socketCount } from './process-stats.ts';

/** How the phase runs. */
export interface ResourcePlan {
  requests: number;
  connections: number;
}

/** RSS and sockets of the proxy process before and after the run. */
export interface ResourceFigures {
  rssBeforeMb: number;
  rssAfterMb: number;
  socketsBefore: number;
  socketsAfter: number;
  /** Requests in the measured run (100,000 in a full run). */
  requests: number;
  errors: number;
}

const WARMUP_REQUESTS = 2_000;

/** Starts `contender` afresh, warms it up, then measures around a run of `plan.requests` requests. */
export async function measureResources(
  contender: Contender,
  context: ContenderContext,
  plan: ResourcePlan,
): Promise<ResourceFigures> {
  const running = await contender.start(context);
  try {
    const pid = running.proxyPids()[0]!;
    await runLoad({ url: running.url, connections: plan.connections, amount: WARMUP_REQUESTS });
    const socketsBefore = await settledSockets(pid);
    const rssBeforeMb = rssMb(pid);
    const run = await runLoad({ url: running.url, connections: plan.connections, amount: plan.requests });
    const socketsAfter = await settledSockets(pid);
    return {
      rssBeforeMb,
      rssAfterMb: rssMb(pid),
      socketsBefore,
      socketsAfter,
      requests: run.requests,
      errors: run.errors,
    };
  } finally {
    await running.stop();
  }
}

/**
 * The socket count once the load generator's connections have been closed on the proxy's side too (it stops changing).
 */
async function settledSockets(pid: number): Promise<number> {
  let last = socketCount(pid);
  let stableSince = performance.now();
  try {
    await waitUntil(
      () => {
        const now = socketCount(pid);
        if (now !== last) {
          last = now;
          stableSince = performance.now();
        }
        return performance.now() - stableSince >= 300;
      },
      'the socket count to settle',
      { timeoutMs: 3_000, intervalMs: 50 },
    );
  } catch {
    // still changing after 3 s: report the last count
  }
  return last;
}
