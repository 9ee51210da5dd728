// Integration: the proxy's command line refuses a wrong config with exit code 2 and a readable list, and honours port
// overrides.
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/process/free-port.ts';
import { waitForHttp } from '../../scripts/process/wait.ts';
import { spawnProxy, writeConfig } from './support/processes.ts';

describe('proxy command line', () => {
  it('refuses a wrong config with exit code 2, listing every problem by path', async () => {
    const file = writeConfig(`
listener: { port: 99999 }
rules:
  - { path: /memory, pool: memory }
pools:
  memory:
    stickiness: { type: lb-cookie, duration: 9d }
    healthCheck: { interval: soon }
    targets:
      - { id: m1, url: "not a url" }
`);
    const child = spawnProxy(['--config', file]);
    const exit = await child.exited;
    const output = child.recentOutput();
    expect(exit.code).toBe(2);
    expect(output).toContain('config refused');
    expect(output).toContain('listener.port:');
    expect(output).toContain('pools.memory.stickiness.duration: expected a duration between 1s and 7d');
    expect(output).toContain('pools.memory.healthCheck.interval:');
    expect(output).toContain('pools.memory.targets.0.url:');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('refuses a missing config option, an unreadable file and broken YAML with exit code 2', async () => {
    for (const args of [
      [],
      ['--config', '/nonexistent/proxy.yaml'],
      ['--config', writeConfig('rules: [unclosed')],
      ['--config', writeConfig('x: 1'), '--port', 'abc'],
    ]) {
      const child = spawnProxy(args);
      expect((await child.exited).code, args.join(' ')).toBe(2);
      expect(child.recentOutput()).toMatch(/^proxy: /);
    }
  });

  it('takes the ports from --port and CONTROL_PORT over the config file', async () => {
    const [port, controlPort] = [await freePort(), await freePort()];
    const file = writeConfig({
      listener: { host: '127.0.0.1', port: 1 },
      control: { port: 2 },
      rules: [{ path: '/a', pool: 'a' }],
      pools: { a: {} },
    });
    spawnProxy(['--config', file, '--port', String(port)], { CONTROL_PORT: String(controlPort) });
    await waitForHttp(`http://127.0.0.1:${port}/`);
    await waitForHttp(`http://127.0.0.1:${controlPort}/api/targets`);
  });

  it(
    'says once, at start, when its public listener is reachable from other machines ' +
      'with a public demo cookie secret',
    async () => {
      const started = async (host: string, secret: string) => {
        const file = writeConfig({
          listener: { host, port: 0 },
          control: { port: 0 },
          rules: [{ path: '/a', pool: 'a' }],
          pools: { a: {} },
        });
        const child = spawnProxy(['--config', file], { PROXY_COOKIE_SECRET: secret });
        await child.waitForLine(
          (line) => (line.includes('"listening"') ? true : undefined),
          'its listening line',
          15_000,
        );
        return child
          .recentOutput()
          .split('\n')
          .filter((line) => line.includes('demo cookie secret') || line.includes('public demo secret'));
      };
      for (const secret of ['', 'demo-proxy-cookie-secret-change-me']) {
        const exposed = await started('0.0.0.0', secret);
        expect(exposed).toHaveLength(1);
        expect(exposed[0]).toContain('reachable from other machines');
        expect(exposed[0]).toContain('PROXY_COOKIE_SECRET');
      }
      expect(await started('127.0.0.1', '')).toEqual([expect.not.stringContaining('reachable from other machines')]);
      expect(await started('0.0.0.0', 'a-real-secret-of-the-operator-0123')).toEqual([]);
    },
  );
});
