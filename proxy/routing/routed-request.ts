// The per-request routing state, kept on the request object itself so the hot path allocates no side object.
import { type ClientRequest, IncomingMessage } from 'node:http';
import type { AwaitingAnswers } from '../pool/awaiting-answers.ts';
import type { Pool } from '../pool/pool.ts';
import type { Target } from '../pool/target.ts';
import type { NonStickyReason, StickyRequest } from '../stickiness/method.ts';
import type { BoundSession } from '../stickiness/session-table.ts';

/** The public listener's request class (passed to `http.createServer` as `IncomingMessage`). */
export class RoutedRequest extends IncomingMessage implements StickyRequest {
  pool: Pool | undefined = undefined;
  /** The target of the current attempt. */
  upstream: Target | undefined = undefined;
  /** Why the decision did not follow stickiness, if it did not. */
  reason: NonStickyReason | undefined = undefined;
  session: BoundSession | undefined = undefined;
  presentedCookie: string | undefined = undefined;
  affinityHash = 0;
  /** Attempts so far, the current one included. */
  attempts = 0;
  /** Targets that failed this request, so a retry goes elsewhere. */
  failed: Target[] | undefined = undefined;
  /** The whole body when it was small enough to keep for a retry. */
  body: Buffer | undefined = undefined;
  /** False once a body too large to keep has been streamed: no retry can send it again. */
  replayable = true;
  /** `performance.now()` when the request arrived. */
  startedAt = 0;
  /** The list of its target this request waits in for an answer, and its links there (awaiting-answers.ts). */
  awaitingIn: AwaitingAnswers | undefined = undefined;
  awaitingPrevious: RoutedRequest | undefined = undefined;
  awaitingNext: RoutedRequest | undefined = undefined;
  /** The outgoing request of the attempt that waits. */
  outbound: ClientRequest | undefined = undefined;
}
