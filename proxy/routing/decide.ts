// The routing decision: follow the binding when the bound target can serve, otherwise fail over and balance.
import type { ProxyErrorCode } from '../errors.ts';
import type { Pool } from '../pool/pool.ts';
import { Target } from '../pool/target.ts';
import type { RoutedRequest } from './routed-request.ts';

/**
 * Picks the target for `req` in `pool`, or the error to answer with. Sets `req.reason` when the
 * decision does not follow stickiness. Targets in `req.failed` are avoided (a retry).
 */
export function decide(pool: Pool, req: RoutedRequest, now: number): Target | ProxyErrorCode {
  const found = pool.stickiness.find(req, now);
  if (found instanceof Target) {
    if (pool.canServeBound(found, now) && !req.failed?.includes(found)) {
      req.reason = undefined;
      return found;
    }
    req.reason = found.drainingSince !== undefined && found.health === 'healthy' ? 'draining' : 'target-down';
    if (pool.settings.failover === 'strict') return 'sticky_target_unavailable';
  } else {
    req.reason = found;
  }
  let candidates = pool.eligible();
  const failed = req.failed;
  if (failed !== undefined) candidates = candidates.filter((target) => !failed.includes(target));
  if (candidates.length === 0) return 'no_healthy_target';
  return pool.stickiness.choose?.(req, candidates) ?? pool.algorithm.pick(candidates);
}
