// The client's address for source-ip stickiness; X-Forwarded-For counts only when the peer is a trusted proxy.
import type { StickyRequest } from './method.ts';

/** `::ffff:10.0.0.1` and `10.0.0.1` are the same IPv4 client. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The address to hash: the TCP peer, unless the peer is in `trusted`; then the right-most
 * `X-Forwarded-For` entry that is not itself trusted (entries further left are client-controlled).
 */
export function clientAddress(req: StickyRequest, trusted: ReadonlySet<string>): string {
  const peer = normalizeAddress(req.socket.remoteAddress ?? '');
  if (!trusted.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  if (header === undefined) return peer;
  const hops = (Array.isArray(header) ? header.join(',') : header).split(',');
  let client = peer;
  for (let index = hops.length - 1; index >= 0; index--) {
    client = normalizeAddress(hops[index]!.trim());
    if (!trusted.has(client)) return client;
  }
  return client;
}
