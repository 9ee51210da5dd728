// The one table of errors the proxy answers with itself: stable codes, HTTP status and message.
import type { ServerResponse } from 'node:http';

/** Every error code a client or admin can see from the proxy, with its status and default message. */
export const errorTable = {
  bad_request: { status: 400, message: 'The request could not be parsed.' },
  no_route: { status: 404, message: 'No rule of this proxy matches the path.' },
  not_found: { status: 404, message: 'Nothing here.' },
  unknown_pool: { status: 404, message: 'No pool has this name.' },
  unknown_target: { status: 404, message: 'No target has this id.' },
  target_exists: { status: 409, message: 'A target with this id already exists.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_body: { status: 400, message: 'The request body does not have the expected shape.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_upgrade: {
    status: 400,
    message: 'Only WebSocket upgrades (GET with Upgrade: websocket) pass through the proxy.',
  },
  expectation_failed: { status: 417, message: 'Only "Expect: 100-continue" is understood.' },
  headers_too_large: { status: 431, message: 'The request headers (cookies included) are too large.' },
  lab_secret_required: { status: 401, message: "Only the lab's own processes may act here." },
  host_not_allowed: { status: 403, message: 'This listener does not answer to that Host.' },
  cross_origin: { status: 403, message: 'Changes are accepted only from the same origin.' },
  no_healthy_target: { status: 503, message: 'Every target of this pool is down, draining or has weight 0.' },
  sticky_target_unavailable: {
    status: 503,
    message: 'The target this session is bound to is unavailable and the pool fails over strictly.',
  },
  upstream_unreachable: { status: 502, message: 'The target could not be reached or closed the connection.' },
  upstream_timeout: { status: 504, message: 'The target did not answer in time.' },
  internal_error: { status: 500, message: 'Something went wrong inside the proxy.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code from the table. */
export type ProxyErrorCode = keyof typeof errorTable;

/** The JSON body of every error the proxy answers with. */
export interface ErrorBody {
  error: { code: ProxyErrorCode; message: string; details?: unknown };
}

/** An error meant for the client; its code decides status and default message. */
export class ProxyError extends Error {
  readonly code: ProxyErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ProxyErrorCode, message?: string, details?: unknown) {
    super(message ?? errorTable[code].message);
    this.name = 'ProxyError';
    this.code = code;
    this.status = errorTable[code].status;
    this.details = details;
  }

  /** The response body for this error. */
  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }
}

// The bodies of detail-less errors never change, so they are serialised once.
const cannedBodies = new Map<ProxyErrorCode, string>();
for (const code of Object.keys(errorTable) as ProxyErrorCode[]) {
  cannedBodies.set(code, JSON.stringify({ error: { code, message: errorTable[code].message } }));
}

/** Answers with the table's JSON error for `code`, unless the answer has already begun. */
export function sendError(res: ServerResponse, code: ProxyErrorCode): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = cannedBodies.get(code) as string;
  res.writeHead(errorTable[code].status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * A whole HTTP/1.1 error answer for a raw socket (an upgrade or a request Node could not parse), closing the
 * connection.
 */
export function rawErrorAnswer(code: ProxyErrorCode): string {
  const body = cannedBodies.get(code) as string;
  return (
    `HTTP/1.1 ${errorTable[code].status} ${code}\r\n` +
    `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `connection: close\r\n\r\n${body}`
  );
}
