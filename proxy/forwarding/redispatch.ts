// Requests already sent to a target that is then marked down or unhealthy go to another target at once, instead of
// waiting for its timeout.
import type { PoolConfig } from '../config/schema.ts';
import type { Target } from '../pool/target.ts';
import { mayRetry, TARGET_MARKED_DOWN } from './failure.ts';

/**
 * Ends every attempt on `target` that is still waiting for an answer and may be retried (an idempotent method,
 * its body kept, retries and time left); the forwarder then sends each to another target. A killed container
 * resets nothing: without this, such a request would wait for the pool's timeout and fail with 504.
 * Attempts that may not be retried (a POST, or no budget left) keep waiting: the target may still answer them.
 */
export function redispatchAwaiting(target: Target, retries: PoolConfig['retries'], cause: string): void {
  if (target.awaitingAnswer.size === 0) return;
  const now = performance.now();
  for (const req of target.awaitingAnswer.list()) {
    const outbound = req.outbound!;
    if (!mayRetry(req, retries, now)) continue;
    target.awaitingAnswer.remove(req);
    outbound.destroy(
      Object.assign(new Error(`the target was marked ${target.health} (${cause}) before it answered`), {
        code: TARGET_MARKED_DOWN,
      }),
    );
  }
}
