// Integration: the proxy as a real process in front of real backends keeps sticky clients on one target and spreads the
// others.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startCartInstance } from '../../scripts/process/cart-instance.ts';
import { Client } from './support/http.ts';
import { startEcho, startProxy, track } from './support/processes.ts';

async function threeEchoes() {
  return Promise.all(['e1', 'e2', 'e3'].map((id) => startEcho(id)));
}

describe('stickiness through the proxy process', () => {
  it('keeps an lb-cookie client on one target over 100 requests, and spreads round robin evenly', async () => {
    const echoes = await threeEchoes();
    const targets = echoes.map((echo) => ({ id: echo.id, url: echo.url }));
    const proxy = await startProxy({
      rules: [
        { path: '/sticky', pool: 'sticky' },
        { path: '/spread', pool: 'spread' },
      ],
      pools: {
        sticky: { stickiness: { type: 'lb-cookie', duration: '1h' }, targets },
        spread: { targets: targets.map((target) => ({ ...target, id: `${target.id}-rr` })) },
      },
    });

    const client = new Client();
    const upstreams = new Set<string>();
    const reasons: (string | null)[] = [];
    for (let i = 0; i < 100; i++) {
      const response = await client.fetch(`${proxy.url}/sticky/item/${i}`);
      const body = (await response.json()) as { instance: string };
      expect(response.status).toBe(200);
      expect(response.headers.get('x-upstream')).toBe(body.instance);
      upstreams.add(body.instance);
      reasons.push(response.headers.get('x-upstream-reason'));
    }
    expect(upstreams.size).toBe(1);
    expect(reasons[0]).toBe('new');
    expect(reasons.slice(1).every((reason) => reason === null)).toBe(true);
    expect(client.cookie('LABLB')).toBeDefined();

    const counts: Record<string, number> = {};
    for (let i = 0; i < 99; i++) {
      const response = await fetch(`${proxy.url}/spread/x`);
      await response.arrayBuffer();
      const upstream = response.headers.get('x-upstream')!;
      counts[upstream] = (counts[upstream] ?? 0) + 1;
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(response.headers.get('x-upstream-reason')).toBeNull();
    }
    expect(counts).toEqual({ 'e1-rr': 33, 'e2-rr': 33, 'e3-rr': 33 });
  });

  it('replaces a forged cookie with a valid one and says why', async () => {
    const [echo] = await Promise.all([startEcho('only')]);
    const proxy = await startProxy({
      rules: [{ path: '/s', pool: 's' }],
      pools: { s: { stickiness: { type: 'lb-cookie' }, targets: [{ id: echo!.id, url: echo!.url }] } },
    });
    const response = await fetch(`${proxy.url}/s/`, { headers: { cookie: 'LABLB=abc.ZXZpbA.forged' } });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-upstream-reason')).toBe('invalid');
    expect(response.headers.get('set-cookie')).toMatch(/^LABLB=/);
  });

  it('passes X-Forwarded-For, -Proto and -Host to the target', async () => {
    const echo = await startEcho('fwd');
    const proxy = await startProxy({
      rules: [{ path: '/f', pool: 'f' }],
      pools: { f: { targets: [{ id: echo.id, url: echo.url }] } },
    });
    // fetch may not set Host, so this one request goes out through node:http
    const body = await new Promise<Record<string, string>>((resolve, reject) => {
      http
        .get(`${proxy.url}/f/x`, { headers: { host: 'shop.example' } }, (response) => {
          let text = '';
          response
            .setEncoding('utf8')
            .on('data', (chunk: string) => (text += chunk))
            .on('end', () => resolve(JSON.parse(text)));
        })
        .once('error', reject);
    });
    expect(body.forwardedFor).toBe('127.0.0.1');
    expect(body.forwardedProto).toBe('http');
    expect(body.forwardedHost).toBe('shop.example');
  });

  it('pins a WebSocket upgrade to the target of the session cookie', async () => {
    const echoes = await threeEchoes();
    const proxy = await startProxy({
      rules: [{ path: '/ws', pool: 'ws' }],
      pools: {
        ws: { stickiness: { type: 'lb-cookie' }, targets: echoes.map((echo) => ({ id: echo.id, url: echo.url })) },
      },
    });
    const client = new Client();
    const first = await client.fetch(`${proxy.url}/ws/page`);
    const bound = first.headers.get('x-upstream');
    await first.arrayBuffer();
    for (let i = 0; i < 5; i++) {
      const { upstream, greeting } = await upgrade(`${proxy.url}/ws/socket`, `LABLB=${client.cookie('LABLB')}`);
      expect(upstream).toBe(bound);
      expect(greeting).toContain(`hello from ${bound}`);
    }
  });

  it('keeps a memory-mode cart over 100 requests through the proxy in front of three cart instances', async () => {
    const instances = await Promise.all(
      ['memory-1', 'memory-2', 'memory-3'].map((id) => startCartInstance({ mode: 'memory', id })),
    );
    for (const instance of instances) track(instance.child);
    const proxy = await startProxy({
      rules: [{ path: '/memory', pool: 'memory' }],
      pools: {
        memory: {
          stickiness: { type: 'lb-cookie' },
          targets: instances.map((instance) => ({ id: instance.id, url: instance.origin })),
        },
      },
    });
    const client = new Client();
    const catalog = (await (await client.fetch(`${proxy.url}/memory/api/catalog`)).json()) as {
      items: { sku: string }[];
    };
    // a cart line holds at most 99 of an item, so the 100 additions go to four lines
    const skus = catalog.items.slice(0, 4).map((item) => item.sku);
    const servedBy = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const response = await client.fetch(`${proxy.url}/memory/api/cart/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sku: skus[i % skus.length], qty: 1 }),
      });
      expect(response.status).toBe(200);
      servedBy.add(response.headers.get('x-served-by')!);
      await response.arrayBuffer();
    }
    const cart = (await (await client.fetch(`${proxy.url}/memory/api/cart`)).json()) as {
      count: number;
      instance: string;
    };
    expect(servedBy.size).toBe(1);
    expect(cart.count).toBe(100);
    expect(servedBy.has(cart.instance)).toBe(true);
  });
});

/** Opens an upgrade through the proxy and returns the target it reached and the first bytes it sent. */
function upgrade(url: string, cookie: string): Promise<{ upstream: string | undefined; greeting: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { headers: { connection: 'Upgrade', upgrade: 'websocket', cookie } });
    request.once('error', reject);
    request.once('response', (response) => reject(new Error(`expected an upgrade, got ${response.statusCode}`)));
    request.once('upgrade', (response, socket, head: Buffer) => {
      const done = (data: Buffer) => {
        socket.destroy();
        resolve({ upstream: response.headers['x-upstream'] as string | undefined, greeting: data.toString() });
      };
      // the greeting may arrive in the same packet as the 101, and then it is in `head`
      if (head.length > 0) done(head);
      else socket.once('data', done);
    });
    request.end();
  });
}
