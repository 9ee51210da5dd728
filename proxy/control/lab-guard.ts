// The one guard of every listener that can change the lab (the control port, the demo's supervisor): no web page
// may drive it, whether by a cross-site form, a fetch, or a DNS name rebound to 127.0.0.1.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorTable, ProxyError, type ProxyErrorCode } from '../errors.ts';

/** The names a listener on this machine is always reached by (with any port: Docker may publish it on another). */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Where a user adds names of their own: `LAB_ALLOWED_HOSTS=lab.internal,.example.test` (comma-separated). */
export const ALLOWED_HOSTS_ENV = 'LAB_ALLOWED_HOSTS';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How one listener is guarded. */
export interface LabGuardOptions {
  /** The listener's name in refusals, e.g. `control port`. */
  listener: string;
  /**
   * Host names allowed besides loopback, as dev servers' `allowedHosts`: `lab.internal`, or `.example.test` for it and
   * its subdomains.
   */
  allowedHosts?: readonly string[];
  /**
   * When set, every request must carry `Authorization: Bearer <secret>` (the supervisor: only the lab's own processes
   * know it).
   */
  secret?: string;
}

/** The names `LAB_ALLOWED_HOSTS` lists, trimmed and lower-cased. */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env[ALLOWED_HOSTS_ENV] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
}

/** The host name of a `Host` header without its port: `[::1]:8081` → `[::1]`, `Localhost:8081` → `localhost`. */
export function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.lastIndexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

/**
 * Express-compatible middleware (plain `(req, res, next)`) that answers a refusal itself in the proxy's JSON error
 * shape:
 * 403 `host_not_allowed` for a `Host` outside the allow-list (reads included), 403 `cross_origin` for a change (any
 * method
 * but GET, HEAD, OPTIONS) sent by a page of another origin, whatever its content type, and 401 `lab_secret_required`
 * when a
 * secret is set and the request does not carry it. Tools that send no `Origin` (curl, the CLIs, the scenarios) pass.
 */
export function labGuard(
  options: LabGuardOptions,
): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  // A lone "." would allow every name ending in a dot, the empty Host included.
  const names = [
    ...LOOPBACK_HOSTS,
    ...(options.allowedHosts ?? []).map((name) => name.toLowerCase()).filter((name) => name.replace(/^\./, '') !== ''),
  ];
  const allowed = (name: string) =>
    names.some((entry) => (entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry));
  const expected = options.secret === undefined ? undefined : digest(`Bearer ${options.secret}`);
  const refuse = (req: IncomingMessage, res: ServerResponse, code: ProxyErrorCode, message: string) => {
    const body = JSON.stringify(new ProxyError(code, message).toBody());
    res.writeHead(errorTable[code].status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      // The refused body is never read, so the connection cannot carry another request.
      ...(!req.complete && { connection: 'close' }),
    });
    res.end(body);
  };

  return (req, res, next) => {
    const host = req.headers.host ?? '';
    if (!allowed(hostName(host))) {
      refuse(
        req,
        res,
        'host_not_allowed',
        `The lab's ${options.listener} answers only to 127.0.0.1, localhost and [::1], ` +
          `not to Host "${host.slice(0, 100)}"; ` +
          `to reach it by another name, add the name to ${ALLOWED_HOSTS_ENV} (comma-separated).`,
      );
      return;
    }
    if (!SAFE_METHODS.has(req.method ?? 'GET') && crossOrigin(req, host)) {
      refuse(
        req,
        res,
        'cross_origin',
        `The lab's ${options.listener} accepts changes only from its own pages, ` +
          `not from ${String(req.headers.origin ?? 'another site').slice(0, 100)}.`,
      );
      return;
    }
    if (expected !== undefined && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      refuse(
        req,
        res,
        'lab_secret_required',
        `The lab's ${options.listener} acts only for the lab's own processes, which know this run's secret.`,
      );
      return;
    }
    next();
  };
}

// A page of another origin: an Origin that is not this very host (or "null"), or a browser that says the request is
// cross-site.
function crossOrigin(req: IncomingMessage, host: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    try {
      const url = new URL(origin);
      return !(url.protocol === 'http:' || url.protocol === 'https:') || url.host !== host.toLowerCase();
    } catch {
      return true;
    }
  }
  const site = req.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

// Equal-length digests, so the comparison takes the same time whatever the guess.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
