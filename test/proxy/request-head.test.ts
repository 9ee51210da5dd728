// Unit tests of the request head the proxy sends on: hop-by-hop headers gone, X-Forwarded-* right for an edge and
// behind a trusted balancer.
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { prepareRequestHead } from '../../proxy/forwarding/request-head.ts';
import type { RoutedRequest } from '../../proxy/routing/routed-request.ts';

function request(headers: IncomingHttpHeaders, peer: string): RoutedRequest {
  return { headers, socket: { remoteAddress: peer, localPort: 8080 } } as unknown as RoutedRequest;
}

describe('prepareRequestHead', () => {
  it('at the edge: appends the peer to X-Forwarded-For, overwrites what a client claims about its connection', () => {
    const req = request(
      {
        host: 'shop.example:8080',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'claimed.example',
        te: 'trailers',
        'keep-alive': 'timeout=5',
      },
      '::ffff:198.51.100.7',
    );
    prepareRequestHead(req, new Set());
    expect(req.headers).toEqual({
      host: 'shop.example:8080',
      'x-forwarded-for': '203.0.113.9,::ffff:198.51.100.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': '8080',
      'x-forwarded-host': 'shop.example:8080',
    });
  });

  it('behind a trusted balancer: keeps the X-Forwarded-Proto, -Port and -Host it set', () => {
    const req = request(
      {
        host: 'internal:8080',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'https',
        'x-forwarded-port': '443',
        'x-forwarded-host': 'shop.example',
      },
      '::ffff:10.0.0.2',
    );
    prepareRequestHead(req, new Set(['10.0.0.2']));
    expect(req.headers).toMatchObject({
      'x-forwarded-for': '203.0.113.9,::ffff:10.0.0.2',
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-forwarded-host': 'shop.example',
    });
  });
});
