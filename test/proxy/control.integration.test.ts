// Integration: the control port (admin API, metrics, events, status page) works at run time and is not reachable
// publicly.
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../scripts/process/wait.ts';
import { Client, getJson, openEvents, sendJson, type TargetRow } from './support/http.ts';
import { startEcho, startProxy } from './support/processes.ts';

async function proxyWithTwo() {
  const echoes = await Promise.all(['c1', 'c2'].map((id) => startEcho(id)));
  const proxy = await startProxy({
    rules: [{ path: '/shop', pool: 'shop' }],
    pools: { shop: { targets: echoes.map((echo) => ({ id: echo.id, url: echo.url })) } },
  });
  return { echoes, proxy };
}

describe('control port', () => {
  it('is not reachable through the public listener, and listens on 127.0.0.1', async () => {
    const { proxy } = await proxyWithTwo();
    expect(proxy.listening.controlHost).toBe('127.0.0.1');
    for (const path of ['/api/targets', '/api/pools', '/metrics', '/api/events', '/api/targets/c1/drain']) {
      const answer = await sendJson(path.endsWith('drain') ? 'POST' : 'GET', `${proxy.url}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code, path).toBe('no_route');
    }
    const landing = await fetch(`${proxy.url}/`);
    expect(await landing.text()).toContain('href="/shop/"');
    const rows = await getJson<TargetRow[]>(`${proxy.control}/api/targets`);
    expect(rows.map((row) => [row.id, row.pool, row.state])).toEqual([
      ['c1', 'shop', 'healthy'],
      ['c2', 'shop', 'healthy'],
    ]);
  });

  it('changes a pool at run time, and refuses a bad patch listing the problems without changing anything', async () => {
    const { proxy } = await proxyWithTwo();
    const bad = await sendJson('PATCH', `${proxy.control}/api/pools/shop`, {
      algorithm: 'fastest',
      stickiness: { type: 'lb-cookie', duration: '9d' },
      weights: { nobody: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_body');
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^algorithm: /), expect.stringMatching(/^stickiness\.duration: /)]),
    );
    expect(
      (await getJson<{ algorithm: string; stickiness: { type: string } }>(`${proxy.control}/api/pools/shop`)).stickiness
        .type,
    ).toBe('none');
    const unknownTarget = await sendJson('PATCH', `${proxy.control}/api/pools/shop`, { weights: { nobody: 1 } });
    expect(unknownTarget.status).toBe(400);
    expect(unknownTarget.body.error.details).toEqual(['weights.nobody: expected a target of pool "shop"']);
    expect(
      (await sendJson('PATCH', `${proxy.control}/api/pools/nowhere`, { failover: 'strict' })).body.error.code,
    ).toBe('unknown_pool');
    const empty = await sendJson('PATCH', `${proxy.control}/api/pools/shop`, {});
    expect([empty.status, empty.body.error.details]).toEqual([
      400,
      ['(top level): expected at least one setting to change'],
    ]);

    const good = await sendJson('PATCH', `${proxy.control}/api/pools/shop`, {
      stickiness: { type: 'lb-cookie', duration: 60 },
    });
    expect(good.status).toBe(200);
    expect(good.body.pool.stickiness).toMatchObject({ type: 'lb-cookie', duration: '1m' });
    const client = new Client();
    const first = await client.fetch(`${proxy.url}/shop/`);
    await first.arrayBuffer();
    expect(first.headers.get('x-upstream-reason')).toBe('new');
    for (let i = 0; i < 5; i++) {
      const next = await client.fetch(`${proxy.url}/shop/`);
      await next.arrayBuffer();
      expect(next.headers.get('x-upstream')).toBe(first.headers.get('x-upstream'));
    }
  });

  it(
    'changes the health check and the upstream timeout at run time, ' +
      'keeping the health check fields a patch does not name',
    async () => {
      const { proxy } = await proxyWithTwo();
      const tooLong = await sendJson('PATCH', `${proxy.control}/api/pools/shop`, { healthCheck: { timeout: '3s' } });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.details).toEqual([
        expect.stringMatching(/^healthCheck\.timeout: expected a timeout no longer than the interval/),
      ]);

      const changed = await sendJson('PATCH', `${proxy.control}/api/pools/shop`, {
        healthCheck: { interval: '5s', timeout: '3s' },
        timeout: '2s',
      });
      expect(changed.status).toBe(200);
      expect(changed.body.pool.healthCheck).toMatchObject({
        path: '/healthz',
        interval: '5s',
        timeout: '3s',
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      });
      expect(changed.body.pool.timeout).toBe('2s');
    },
  );

  it('adds and removes targets at run time (scale out and in)', async () => {
    const { proxy } = await proxyWithTwo();
    const third = await startEcho('c3');
    expect(
      (await sendJson('POST', `${proxy.control}/api/pools/shop/targets`, { id: 'c1', url: third.url })).body.error.code,
    ).toBe('target_exists');
    expect(
      (await sendJson('POST', `${proxy.control}/api/pools/shop/targets`, { id: 'c3', url: 'ftp://x' })).status,
    ).toBe(400);
    const added = await sendJson('POST', `${proxy.control}/api/pools/shop/targets`, { id: 'c3', url: third.url });
    expect(added.status).toBe(201);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${proxy.url}/shop/`);
      await response.arrayBuffer();
      seen.add(response.headers.get('x-upstream')!);
    }
    expect(seen).toEqual(new Set(['c1', 'c2', 'c3']));

    expect((await sendJson('DELETE', `${proxy.control}/api/targets/c1`)).status).toBe(200);
    expect((await sendJson('DELETE', `${proxy.control}/api/targets/c1`)).body.error.code).toBe('unknown_target');
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${proxy.url}/shop/`);
      await response.arrayBuffer();
      expect(response.headers.get('x-upstream')).not.toBe('c1');
    }
  });

  it('serves Prometheus metrics, the status page and server-sent events', async () => {
    const { proxy } = await proxyWithTwo();
    await sendJson('PATCH', `${proxy.control}/api/pools/shop`, { stickiness: { type: 'lb-cookie' } });
    const events = await openEvents(`${proxy.control}/api/events`);
    try {
      for (let i = 0; i < 4; i++) await (await fetch(`${proxy.url}/shop/`)).arrayBuffer();
      await sendJson('POST', `${proxy.control}/api/targets/c2/drain`);
      await waitUntil(
        () => events.text().includes('event: decisions') && events.text().includes('"to":"draining"'),
        'decision and state events',
      );
    } finally {
      events.close();
    }
    const metrics = await (await fetch(`${proxy.control}/metrics`)).text();
    expect(metrics).toMatch(/proxy_requests_total\{pool="shop",target="c1"\} [1-9]/);
    expect(metrics).toMatch(/proxy_non_sticky_requests_total\{pool="shop",reason="new"\} 4/);
    expect(metrics).toContain('proxy_target_state{pool="shop",target="c2",state="draining"} 1');
    expect(metrics).toContain('proxy_request_duration_seconds_bucket');
    const page = await (await fetch(`${proxy.control}/`)).text();
    expect(page).toContain('<table>');
    expect(page).toContain('bound sessions');
    expect(page).toMatch(/<td>c2<\/td>.*<td>draining<\/td>/s);
  });

  it('stops gracefully on SIGTERM: a request in flight finishes, the exit code is 0', async () => {
    const { proxy } = await proxyWithTwo();
    const slow = fetch(`${proxy.url}/shop/slow?delayMs=700`);
    await waitUntil(
      async () => (await getJson<TargetRow[]>(`${proxy.control}/api/targets`)).some((row) => row.inflight > 0),
      'the slow request to be in flight',
    );
    proxy.child.signal('SIGTERM');
    const response = await slow;
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(await proxy.child.exited).toEqual({ code: 0, signal: null });
  });
});
