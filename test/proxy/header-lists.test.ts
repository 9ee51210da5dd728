// Unit tests of the raw header lists: case-insensitive edits, and the X-Forwarded-* hop appended to what earlier proxies sent.
import { describe, expect, it } from 'vitest';
import { answerHeaders, upstreamHeaders } from '../../proxy/forwarding/header-lists.ts';
import type { RoutedRequest } from '../../proxy/routing/routed-request.ts';
import { HeaderList } from '../../proxy/stickiness/answer-headers.ts';
import { keepCookieOutOfCaches } from '../../proxy/stickiness/cookie-header.ts';

function requestWith(rawHeaders: string[]): RoutedRequest {
  return { rawHeaders, socket: { remoteAddress: '10.0.0.7', localPort: 8080 } } as unknown as RoutedRequest;
}

describe('header lists', () => {
  it('reads, replaces and appends names in any letter case without joining Set-Cookie lines', () => {
    const headers = new HeaderList(['Cache-Control', 'public', 'Set-Cookie', 'a=1', 'cache-control', 'max-age=60', 'set-cookie', 'b=2']);
    expect(headers.get('cache-control')).toBe('public, max-age=60');
    expect(headers.values('set-cookie')).toEqual(['a=1', 'b=2']);
    keepCookieOutOfCaches(headers);
    expect(headers.list).toEqual(['Cache-Control', 'public, max-age=60, no-cache="Set-Cookie"', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2']);
    headers.append('set-cookie', 'c=3');
    expect(headers.values('set-cookie')).toEqual(['a=1', 'b=2', 'c=3']);
    expect(headers.get('x-none')).toBeUndefined();
  });

  it('leaves a private answer alone and marks one without Cache-Control', () => {
    const privateAnswer = new HeaderList(['cache-control', 'private']);
    keepCookieOutOfCaches(privateAnswer);
    expect(privateAnswer.list).toEqual(['cache-control', 'private']);
    const plain = new HeaderList([]);
    keepCookieOutOfCaches(plain);
    expect(plain.list).toEqual(['cache-control', 'no-cache="Set-Cookie"']);
  });

  it('appends this hop to X-Forwarded-For, -Port and -Proto, keeps the first X-Forwarded-Host, and drops hop-by-hop headers', () => {
    const list = upstreamHeaders(requestWith([
      'Host', 'shop.example:8443',
      'X-Forwarded-For', '203.0.113.1',
      'x-forwarded-for', '198.51.100.2',
      'X-Forwarded-Proto', 'https',
      'X-Forwarded-Host', 'edge.example',
      'Connection', 'keep-alive',
      'Upgrade', 'h2c',
      'Cookie', 'LABLB=x',
    ]), 'target:80');
    expect(list).toEqual([
      'Host', 'shop.example:8443',
      'Cookie', 'LABLB=x',
      'x-forwarded-for', '203.0.113.1, 198.51.100.2, 10.0.0.7',
      'x-forwarded-port', '8443',
      'x-forwarded-proto', 'https, http',
      'x-forwarded-host', 'edge.example',
    ]);
  });

  it("gives a request without Host the target's, and takes the port the client connected to", () => {
    const list = upstreamHeaders(requestWith([]), '127.0.0.1:3001');
    expect(list).toEqual(['host', '127.0.0.1:3001', 'x-forwarded-for', '10.0.0.7', 'x-forwarded-port', '8080', 'x-forwarded-proto', 'http']);
  });

  it("drops the target's framing and connection headers from the answer", () => {
    expect(answerHeaders(['Connection', 'keep-alive', 'Transfer-Encoding', 'chunked', 'Content-Type', 'text/plain', 'keep-alive', 'timeout=5'])).toEqual(['Content-Type', 'text/plain']);
  });
});
