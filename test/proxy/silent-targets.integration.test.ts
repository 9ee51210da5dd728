// Integration: targets that go silent instead of refusing (a killed container's address vanishes): the connect timeout,
// and requests moved when their target is marked down.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ManagedChild } from '../../scripts/process/child.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import { getJson, sendJson, type TargetRow, targetState } from './support/http.ts';
import { startEcho, startOddBackend, startProxy, track } from './support/processes.ts';

/**
 * True once the kernel's accept queue of the listener on `port` is full (`ss`: Recv-Q, the queue, above Send-Q, the
 * backlog).
 */
function acceptQueueFull(port: number): boolean {
  const [, queued, backlog] = execFileSync('ss', ['-Htln', `sport = :${port}`], { encoding: 'utf8' })
    .trim()
    .split(/\s+/);
  return Number(queued) > Number(backlog);
}

async function retries(control: string, target: string, cause: string): Promise<number> {
  const metrics = await (await fetch(`${control}/metrics`)).text();
  return Number(
    new RegExp(`proxy_retries_total\\{pool="[^"]+",target="${target}",cause="${cause}"\\} (\\d+)`).exec(metrics)?.[1] ??
      0,
  );
}

describe('targets that go silent', () => {
  it('gives up on a connection not made within the connect timeout (the health check timeout, at least 1 s) ' +
    'and sends the request, POST included, to another target', {
    timeout: 60_000,
  }, async () => {
    const stalled = new ManagedChild({
      name: 'stalled',
      command: process.execPath,
      args: ['--import', 'tsx', 'test/proxy/support/stalled-listener.ts'],
      cwd: projectRoot,
    });
    track(stalled);
    const { port } = await stalled.waitForLine(
      (line) => (line.includes('"listening"') ? (JSON.parse(line) as { port: number }) : undefined),
      'its listening line',
      15_000,
    );
    const echo = await startEcho('echo-1');
    const proxy = await startProxy({
      rules: [{ path: '/p', pool: 'p' }],
      // one round of checks at the start, then none during the test: only forwarding can find the stalled target out
      pools: {
        p: {
          healthCheck: { interval: '60s', timeout: '300ms' },
          // the time budget of retries is not what is tested here, and a busy machine may use it up
          retries: { count: 2, within: '60s' },
          targets: [
            { id: 'stalled', url: `http://127.0.0.1:${port}` },
            { id: 'echo-1', url: echo.url },
          ],
        },
      },
    });
    // stopped, with its backlog full: the kernel drops further connection attempts without a word
    stalled.process.kill('SIGSTOP');
    const fillers = Array.from({ length: 6 }, () => net.connect(port, '127.0.0.1').on('error', () => undefined));
    try {
      await waitUntil(() => acceptQueueFull(port), 'the backlog of one to fill', { timeoutMs: 30_000 });
      for (const method of ['POST', 'POST', 'GET', 'GET']) {
        const answer = await sendJson(method, `${proxy.url}/p/items`, method === 'POST' ? { sku: 'mug' } : undefined);
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ instance: 'echo-1', method });
      }
      expect(await targetState(proxy.control, 'stalled')).toBe('down');
      expect(await retries(proxy.control, 'stalled', 'connect')).toBeGreaterThanOrEqual(1);
    } finally {
      for (const filler of fillers) filler.destroy();
      stalled.process.kill('SIGKILL');
    }
  });

  it('moves a GET waiting on a target marked unhealthy to another target at once; a POST waits for its own answer', {
    timeout: 60_000,
  }, async () => {
    const odd = await startOddBackend('odd-1');
    const echo = await startEcho('echo-1');
    const proxy = await startProxy({
      rules: [{ path: '/odd', pool: 'odd' }],
      pools: {
        odd: {
          healthCheck: { interval: '500ms', timeout: '500ms' },
          // the time budget of retries is not what is tested here, and a busy machine may use it up
          retries: { count: 2, within: '60s' },
          // far longer than the test: an answer from echo-1 can only come from the move
          timeout: '60s',
          // weight 0: echo-1 takes nothing until the requests wait on odd-1
          targets: [
            { id: 'odd-1', url: odd.url },
            { id: 'echo-1', url: echo.url, weight: 0 },
          ],
        },
      },
    });
    const inflight = async (id: string) =>
      (await getJson<TargetRow[]>(`${proxy.control}/api/targets`)).find((row) => row.id === id)?.inflight;
    const get = sendJson('GET', `${proxy.url}/odd/silent`);
    const post = sendJson('POST', `${proxy.url}/odd/silent`, { sku: 'mug' });
    try {
      await waitUntil(async () => (await inflight('odd-1')) === 2, 'both requests to wait on odd-1', {
        timeoutMs: 30_000,
      });
      expect((await sendJson('PATCH', `${proxy.control}/api/pools/odd`, { weights: { 'echo-1': 1 } })).status).toBe(
        200,
      );
      // hung: its health checks time out and mark it unhealthy
      odd.child.process.kill('SIGSTOP');

      const moved = await get;
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ instance: 'echo-1', method: 'GET', url: '/odd/silent' });
      expect(await targetState(proxy.control, 'odd-1')).toBe('unhealthy');
      expect(await inflight('odd-1')).toBe(1);
      expect(await retries(proxy.control, 'odd-1', 'marked-down')).toBe(1);
    } finally {
      // the POST was sent and may have done its work: it is never sent again, it fails with its target
      odd.child.process.kill('SIGKILL');
    }
    const failed = await post;
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({ error: { code: 'upstream_unreachable', message: expect.any(String) } });
  });
});
