// Prepares a request's headers for the target once, before the first attempt, so a retry neither repeats nor redoes it.
import type { IncomingHttpHeaders } from 'node:http';
import type { RoutedRequest } from '../routing/routed-request.ts';

/** Request headers that describe the client's connection, not ours to the target (RFC 9110 §7.6.1); Node manages Connection itself. */
const HOP_BY_HOP = ['keep-alive', 'proxy-connection', 'te', 'trailer'] as const;

/**
 * Drops hop-by-hop headers and adds `X-Forwarded-For`, `-Proto`, `-Port` and `-Host`, as http-proxy-3's
 * `xfwd` would, but only once per request: `xfwd` runs again on every retry and would name this hop twice.
 */
export function prepareRequestHead(req: RoutedRequest): void {
  const headers = req.headers;
  for (const name of HOP_BY_HOP) if (headers[name] !== undefined) delete headers[name];
  const peer = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = appendToList(headers['x-forwarded-for'], peer);
  headers['x-forwarded-port'] = appendToList(headers['x-forwarded-port'], localPortOf(headers));
  headers['x-forwarded-proto'] = appendToList(headers['x-forwarded-proto'], 'http');
  headers['x-forwarded-host'] ??= headers.host ?? '';
}

function appendToList(existing: string | string[] | undefined, value: string): string {
  // Node joins repeated X-Forwarded-* lines with ", " already; an array cannot arrive, but the type allows one
  const list = Array.isArray(existing) ? existing.join(',') : existing;
  return list === undefined || list === '' ? value : `${list},${value}`;
}

/** The port the client addressed, from its Host header (as http-proxy-3 reports it), 80 without one. */
function localPortOf(headers: IncomingHttpHeaders): string {
  const host = headers.host;
  if (host === undefined) return '80';
  const colon = host.lastIndexOf(':');
  const bracket = host.lastIndexOf(']');
  return colon > bracket && colon < host.length - 1 ? host.slice(colon + 1) : '80';
}
