// What forwarding reports to metrics and the event stream, so neither is wired into the hot path directly.
import type { ProxyErrorCode } from '../errors.ts';
import type { Pool } from '../pool/pool.ts';
import type { Target } from '../pool/target.ts';
import type { NonStickyReason } from '../stickiness/method.ts';

/** Receives the outcome of every public request. Implementations must be cheap: they run per request. */
export interface ForwardObserver {
  /**
   * `target` answered (or the client left) after `seconds`; `reason` is set when the decision did not follow
   * stickiness.
   */
  answered(pool: Pool, target: Target, status: number, seconds: number, reason: NonStickyReason | undefined): void;
  /** The proxy answered with an error of its own. */
  refused(pool: Pool | undefined, code: ProxyErrorCode): void;
  /** An attempt on `target` failed with `cause` and the request goes to another target. */
  retried(pool: Pool, target: Target, cause: string): void;
}
