// Prepares a request's headers for the target once, before the first attempt, so a retry neither repeats nor redoes it.
import type { RoutedRequest } from '../routing/routed-request.ts';
import { normalizeAddress } from '../stickiness/client-address.ts';

/**
 * Request headers that describe the client's connection, not ours to the target (RFC 9110 §7.6.1); Node manages
 * Connection itself.
 */
const HOP_BY_HOP = ['keep-alive', 'proxy-connection', 'te', 'trailer'] as const;

/**
 * Drops hop-by-hop headers and sets the `X-Forwarded-*` family, once per request (http-proxy-3's `xfwd`
 * runs again on every retry and would name this hop twice).
 *
 * `X-Forwarded-For` gains the peer's address, as at ALB, HAProxy and nginx. `-Proto`, `-Port` and
 * `-Host` describe the connection the client made to this proxy, and, like ALB, the proxy overwrites
 * whatever a client sent in them: a client claiming `X-Forwarded-Proto: https` over plain HTTP would
 * otherwise make the shop mark its session cookie `Secure`, and the browser would drop it. Only a peer in
 * `trustedProxies` (a balancer in front of this one) may set them.
 */
export function prepareRequestHead(req: RoutedRequest, trustedProxies: ReadonlySet<string>): void {
  const headers = req.headers;
  for (const name of HOP_BY_HOP) if (headers[name] !== undefined) delete headers[name];
  const peer = req.socket.remoteAddress ?? '';
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor === undefined || forwardedFor === '' ? peer : `${forwardedFor},${peer}`;
  if (
    trustedProxies.size > 0 &&
    trustedProxies.has(normalizeAddress(peer)) &&
    headers['x-forwarded-proto'] !== undefined
  )
    return;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  headers['x-forwarded-host'] = headers.host ?? '';
}
