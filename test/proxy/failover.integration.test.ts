// Integration: a SIGKILLed target under load fails no request, all-down answers 503 at once, drain moves sessions only
// after the delay.
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../scripts/process/wait.ts';
import { Client, getJson, sendJson, type TargetRow, targetState } from './support/http.ts';
import { runLoad } from './support/load.ts';
import { startEcho, startProxy } from './support/processes.ts';

async function threeEchoes(prefix: string) {
  return Promise.all([1, 2, 3].map((n) => startEcho(`${prefix}${n}`)));
}

describe('failover through the proxy process', () => {
  it('fails no request when one of three targets is SIGKILLed under concurrent load', async () => {
    const echoes = await threeEchoes('k');
    const proxy = await startProxy({
      rules: [
        { path: '/rr', pool: 'rr' },
        { path: '/sticky', pool: 'sticky' },
      ],
      pools: {
        rr: { targets: echoes.map((echo) => ({ id: `rr-${echo.id}`, url: echo.url })) },
        sticky: { stickiness: { type: 'lb-cookie' }, targets: echoes.map((echo) => ({ id: echo.id, url: echo.url })) },
      },
    });
    const clients = Array.from({ length: 8 }, () => new Client());
    const load = runLoad(8, (index) => {
      const client = clients[Math.floor(index / 1_000_000)]!;
      // GET and PUT (idempotent, with a body) on both pools: connect failures and resets are retried elsewhere
      return index % 3 === 0
        ? client.fetch(`${proxy.url}/sticky/cart`, {
            method: 'PUT',
            body: JSON.stringify({ index }),
            headers: { 'content-type': 'application/json' },
          })
        : client.fetch(`${proxy.url}/${index % 2 === 0 ? 'rr' : 'sticky'}/item/${index}`);
    });
    await waitUntil(() => load.result.total > 300, 'warm-up load');
    await echoes[1]!.child.kill();
    const killedAt = load.result.total;
    await waitUntil(async () => (await targetState(proxy.control, 'k2')) === 'down', 'k2 to be marked down');
    await waitUntil(() => load.result.total > killedAt + 600, 'load after the kill');
    const result = await load.stop();

    expect(result.failures).toEqual([]);
    expect(result.total).toBeGreaterThan(900);
    expect(await targetState(proxy.control, 'rr-k2')).toBe('down');
    // traffic after the kill still reached both survivors
    const rows = await getJson<TargetRow[]>(`${proxy.control}/api/targets`);
    for (const id of ['k1', 'k3', 'rr-k1', 'rr-k3'])
      expect(rows.find((row) => row.id === id)!.requests).toBeGreaterThan(0);
  });

  it('answers 503 no_healthy_target when every target is down, and recovers when one comes back', async () => {
    const echoes = await threeEchoes('d');
    const proxy = await startProxy({
      rules: [{ path: '/p', pool: 'p' }],
      pools: {
        p: {
          healthCheck: { interval: '200ms', timeout: '200ms' },
          targets: echoes.map((echo) => ({ id: echo.id, url: echo.url })),
        },
      },
    });
    expect((await fetch(`${proxy.url}/p/`)).status).toBe(200);
    await Promise.all(echoes.map((echo) => echo.child.kill()));
    await waitUntil(async () => {
      const rows = await getJson<TargetRow[]>(`${proxy.control}/api/targets`);
      return rows.every((row) => row.state === 'down');
    }, 'every target to be down');

    const answer = await sendJson('GET', `${proxy.url}/p/anything`);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: { code: 'no_healthy_target', message: expect.any(String) } });

    await startEcho('d2', echoes[1]!.port);
    await waitUntil(async () => (await targetState(proxy.control, 'd2')) === 'healthy', 'd2 to pass its health checks');
    const back = await fetch(`${proxy.url}/p/`);
    expect(back.status).toBe(200);
    expect(back.headers.get('x-upstream')).toBe('d2');
  });

  it('drains: bound sessions stay until the deregistration delay, new ones never arrive, then they move', async () => {
    const echoes = await threeEchoes('n');
    const proxy = await startProxy({
      rules: [{ path: '/s', pool: 's' }],
      pools: {
        s: {
          stickiness: { type: 'lb-cookie' },
          deregistrationDelay: '1500ms',
          targets: echoes.map((echo) => ({ id: echo.id, url: echo.url })),
        },
      },
    });
    // bind clients until one sits on n1
    let found: Client | undefined;
    for (let i = 0; i < 10 && found === undefined; i++) {
      const candidate = new Client();
      const response = await candidate.fetch(`${proxy.url}/s/`);
      await response.arrayBuffer();
      if (response.headers.get('x-upstream') === 'n1') found = candidate;
    }
    const bound = found!;
    expect(bound.cookie('LABLB')).toBeDefined();

    const drained = await sendJson('POST', `${proxy.control}/api/targets/n1/drain`);
    expect(drained.status).toBe(200);
    expect(drained.body.state).toBe('draining');

    const stillThere = await bound.fetch(`${proxy.url}/s/`);
    await stillThere.arrayBuffer();
    expect(stillThere.headers.get('x-upstream')).toBe('n1');
    for (let i = 0; i < 12; i++) {
      const fresh = await fetch(`${proxy.url}/s/`);
      await fresh.arrayBuffer();
      expect(fresh.headers.get('x-upstream')).not.toBe('n1');
    }

    let moved: Response | undefined;
    await waitUntil(
      async () => {
        moved = await bound.fetch(`${proxy.url}/s/`);
        await moved.arrayBuffer();
        return moved.headers.get('x-upstream') !== 'n1';
      },
      'the bound session to leave n1 after the deregistration delay',
      { intervalMs: 100 },
    );
    expect(moved!.headers.get('x-upstream-reason')).toBe('draining');
    const after = await bound.fetch(`${proxy.url}/s/`);
    await after.arrayBuffer();
    expect(after.headers.get('x-upstream')).toBe(moved!.headers.get('x-upstream'));
    expect(after.headers.get('x-upstream-reason')).toBeNull();

    await sendJson('POST', `${proxy.control}/api/targets/n1/undrain`);
    expect(await targetState(proxy.control, 'n1')).toBe('healthy');
  });
});
