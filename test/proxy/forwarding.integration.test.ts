// Integration: what the forwarder does to headers and bodies, and how it ends attempts: silent targets, targets dying
// mid-answer, clients leaving, refused connections.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/process/free-port.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import { getJson, sendJson, type TargetRow, targetState } from './support/http.ts';
import { startEcho, startOddBackend, startProxy } from './support/processes.ts';

/** A GET through node:http, so raw headers, status text and an aborted body are visible as sent. */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ response: http.IncomingMessage; body: string; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('close', () => resolve({ response, body, complete: response.complete }));
    });
    request.on('error', reject);
  });
}

async function proxyInFrontOf(url: string, settings: Record<string, unknown> = {}) {
  return startProxy({
    rules: [{ path: '/odd', pool: 'odd' }],
    pools: { odd: { ...settings, targets: [{ id: 'odd-1', url }] } },
  });
}

describe('forwarding through the proxy process', () => {
  it(
    'relays a declined WebSocket upgrade with Connection: close, ' +
      'since it closes that connection after the answer (found by fuzzing)',
    async () => {
      const odd = await startOddBackend('odd-1');
      const proxy = await proxyInFrontOf(odd.url);
      const { response, complete } = await rawGet(`${proxy.url}/odd/abandoned`, {
        connection: 'upgrade',
        upgrade: 'websocket',
      });
      expect([response.statusCode, response.headers.connection, complete]).toEqual([200, 'close', true]);
    },
  );

  it(
    'answers an upgrade to anything but WebSocket with JSON 400 unsupported_upgrade ' +
      'instead of cutting the connection (found by fuzzing)',
    async () => {
      const echo = await startEcho('e1');
      const proxy = await proxyInFrontOf(echo.url);
      for (const upgrade of ['h2c', 'garbage']) {
        const { response, body } = await rawGet(`${proxy.url}/odd/socket`, { connection: 'upgrade', upgrade });
        expect([response.statusCode, JSON.parse(body).error.code]).toEqual([400, 'unsupported_upgrade']);
      }
    },
  );

  it(
    'drops hop-by-hop headers both ways, extends X-Forwarded-For, ' +
      "overwrites a client's X-Forwarded-Proto and -Host, " +
      'and relays status text, every Set-Cookie line and a chunked body',
    async () => {
      const odd = await startOddBackend('odd-1');
      const proxy = await proxyInFrontOf(odd.url);

      const { response, body } = await rawGet(`${proxy.url}/odd/headers`, {
        'Keep-Alive': 'timeout=5',
        TE: 'trailers',
        'Proxy-Connection': 'keep-alive',
        'X-Forwarded-For': '203.0.113.9',
        // a client's own claims about the connection it made to the proxy: the edge overwrites them
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'claimed.example',
        'X-Custom': 'kept',
      });
      expect(response.statusCode).toBe(201);
      expect(response.statusMessage).toBe('Made Up');
      expect(response.headers['set-cookie']).toEqual(['first=1; Path=/', 'second=2; Path=/']);
      expect(response.headers['keep-alive']).not.toBe('timeout=99');
      expect(response.headers['cache-control']).toBe('public, max-age=60');
      expect(response.headers['x-upstream']).toBe('odd-1');

      const raw = (JSON.parse(body) as { headers: string[] }).headers;
      const received = new Map<string, string>();
      for (let index = 0; index < raw.length; index += 2) received.set(raw[index]!.toLowerCase(), raw[index + 1]!);
      for (const hopByHop of ['keep-alive', 'te', 'proxy-connection']) expect(received.has(hopByHop)).toBe(false);
      expect(received.get('x-custom')).toBe('kept');
      // a list may be joined with "," or ", " (RFC 9110 §5.6.1); what counts is the order: client first, then this hop
      expect(received.get('x-forwarded-for')?.split(/\s*,\s*/)).toEqual(['203.0.113.9', '127.0.0.1']);
      expect(received.get('x-forwarded-proto')).toBe('http');
      expect(received.get('x-forwarded-port')).toBe(String(proxy.port));
      expect(received.get('x-forwarded-host')).toBe(`127.0.0.1:${proxy.port}`);
      expect(received.get('host')).toBe(`127.0.0.1:${proxy.port}`);

      const chunked = await rawGet(`${proxy.url}/odd/chunked`);
      expect(chunked.body).toBe('chunk-0 chunk-1 chunk-2 done');
      expect(chunked.complete).toBe(true);
    },
  );

  it('answers oversized headers with JSON 431 headers_too_large, as a shop does, and keeps serving', async () => {
    const echo = await startEcho('e1');
    const proxy = await proxyInFrontOf(echo.url);
    const { response, body } = await rawGet(`${proxy.url}/odd/big`, { cookie: `huge=${'a'.repeat(20_000)}` });
    expect([response.statusCode, response.headers['content-type'], JSON.parse(body)]).toEqual([
      431,
      'application/json; charset=utf-8',
      { error: { code: 'headers_too_large', message: 'The request headers (cookies included) are too large.' } },
    ]);
    expect((await rawGet(`${proxy.url}/odd/small`)).response.statusCode).toBe(200);
  });

  it(
    "answers 504 upstream_timeout when the target stays silent past the pool's timeout, " +
      'and ends the upstream request',
    async () => {
      const odd = await startOddBackend('odd-1');
      const proxy = await proxyInFrontOf(odd.url, { timeout: '300ms' });
      const answer = await sendJson('GET', `${proxy.url}/odd/silent`);
      expect(answer.status).toBe(504);
      expect(answer.body).toEqual({ error: { code: 'upstream_timeout', message: expect.any(String) } });
      await waitUntil(
        async () => (await getJson<{ abandoned: number }>(`${odd.url}/odd/abandoned`)).abandoned === 1,
        'the target to see the request abandoned',
      );
    },
  );

  it("cuts the client's answer when the target dies in the middle of the body", async () => {
    const odd = await startOddBackend('odd-1');
    const proxy = await proxyInFrontOf(odd.url);
    const { response, body, complete } = await rawGet(`${proxy.url}/odd/dies-mid-body`);
    expect(response.statusCode).toBe(200);
    expect(body).toBe('only the first bytes');
    expect(complete).toBe(false);
  });

  it('ends the upstream request when the client hangs up, and counts nothing in flight afterwards', async () => {
    const odd = await startOddBackend('odd-1');
    const proxy = await proxyInFrontOf(odd.url);
    const request = http.get(`${proxy.url}/odd/silent`);
    request.on('error', () => undefined);
    const inflight = async () => (await getJson<TargetRow[]>(`${proxy.control}/api/targets`))[0]!.inflight;
    await waitUntil(async () => (await inflight()) === 1, 'the request to be in flight');
    request.destroy();
    await waitUntil(
      async () => (await getJson<{ abandoned: number }>(`${odd.url}/odd/abandoned`)).abandoned === 1,
      'the target to see the request abandoned',
    );
    await waitUntil(async () => (await inflight()) === 0, 'nothing in flight');
  });

  it(
    'sends a POST whose connection was refused to another target with the same body, ' +
      'naming this hop once in X-Forwarded-For',
    async () => {
      const echo = await startEcho('alive');
      const nobody = `http://127.0.0.1:${await freePort()}`;
      const proxy = await startProxy({
        rules: [{ path: '/p', pool: 'p' }],
        pools: {
          p: {
            targets: [
              { id: 'gone', url: nobody },
              { id: 'alive', url: echo.url },
            ],
          },
        },
      });
      for (let index = 0; index < 4; index++) {
        const body = JSON.stringify({ index, padding: 'x'.repeat(index * 100) });
        const answer = await sendJson('POST', `${proxy.url}/p/items`, JSON.parse(body));
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
          instance: 'alive',
          method: 'POST',
          bodyBytes: Buffer.byteLength(body),
          forwardedFor: '127.0.0.1',
        });
      }
      expect(await targetState(proxy.control, 'gone')).toBe('down');
      const metrics = await (await fetch(`${proxy.control}/metrics`)).text();
      expect(metrics).toMatch(/proxy_retries_total\{pool="p",target="gone",cause="connect"\} [1-9]/);
    },
  );
});
