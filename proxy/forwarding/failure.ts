// How a failed forward is classified: whether the target saw anything, whether it is dead, what the client gets.
import type { PoolConfig } from '../config/schema.ts';
import type { ProxyErrorCode } from '../errors.ts';
import { CONNECT_TIMEOUT } from '../pool/target.ts';
import type { RoutedRequest } from '../routing/routed-request.ts';

/**
 * `connect`: nothing reached the target (refused, unreachable, or no connection within the connect timeout);
 * `reset`: the connection broke after sending; `timeout`: the target went silent; `marked-down`: the attempt
 * was waiting for an answer when the target was marked down or unhealthy, and was ended to go elsewhere.
 */
export type FailureKind = 'connect' | 'reset' | 'timeout' | 'marked-down' | 'other';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  CONNECT_TIMEOUT,
]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** The code of the error a silent target is ended with. */
export const UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT';
/** The code of the error an attempt is ended with when its target leaves service before answering. */
export const TARGET_MARKED_DOWN = 'TARGET_MARKED_DOWN';

/** Classifies an error of the outgoing request. */
export function classifyFailure(error: NodeJS.ErrnoException): FailureKind {
  const code = error.code ?? '';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  if (code === UPSTREAM_TIMEOUT) return 'timeout';
  if (code === TARGET_MARKED_DOWN) return 'marked-down';
  return 'other';
}

/** True for methods that may be sent twice (RFC 9110 §9.2.2). */
export function isIdempotent(method: string | undefined): boolean {
  return IDEMPOTENT_METHODS.has(method ?? '');
}

/**
 * True while `req` may still be tried on another target: retries left, within the pool's time budget, its body kept.
 */
export function mayRetry(req: RoutedRequest, retries: PoolConfig['retries'], now: number): boolean {
  return req.attempts <= retries.count && now - req.startedAt <= retries.within && req.replayable;
}

/** True for failures that mean the target process is gone: passive health marks it down at once. */
export function meansTargetDown(kind: FailureKind): boolean {
  return kind === 'connect' || kind === 'reset';
}

/**
 * True when a retry cannot do harm: nothing was sent, or the method is idempotent and the target is gone (reset,
 * or marked down while the request waited). A timeout is not retried: a slow answer would be asked of every target.
 */
export function safeToRetry(kind: FailureKind, method: string | undefined): boolean {
  if (kind === 'connect') return true;
  return (kind === 'reset' || kind === 'marked-down') && isIdempotent(method);
}

/** The error the client gets when no retry is left. */
export function failureCode(kind: FailureKind): ProxyErrorCode {
  return kind === 'timeout' ? 'upstream_timeout' : 'upstream_unreachable';
}
