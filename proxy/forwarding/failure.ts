// How a failed forward is classified: whether the target saw anything, whether it is dead, what the client gets.
import type { ProxyErrorCode } from '../errors.ts';

/** `connect`: nothing reached the target; `reset`: the connection broke after sending; `timeout`: the target went silent. */
export type FailureKind = 'connect' | 'reset' | 'timeout' | 'other';

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** The code of the error a silent target is ended with. */
export const UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT';

/** Classifies an error of the outgoing request. */
export function classifyFailure(error: NodeJS.ErrnoException): FailureKind {
  const code = error.code ?? '';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  if (code === UPSTREAM_TIMEOUT) return 'timeout';
  return 'other';
}

/** True for failures that mean the target process is gone: passive health marks it down at once. */
export function meansTargetDown(kind: FailureKind): boolean {
  return kind === 'connect' || kind === 'reset';
}

/** True when a retry cannot do harm: nothing was sent, or the method is idempotent. */
export function safeToRetry(kind: FailureKind, method: string | undefined): boolean {
  if (kind === 'connect') return true;
  return kind === 'reset' && IDEMPOTENT_METHODS.has(method ?? '');
}

/** The error the client gets when no retry is left. */
export function failureCode(kind: FailureKind): ProxyErrorCode {
  return kind === 'timeout' ? 'upstream_timeout' : 'upstream_unreachable';
}
