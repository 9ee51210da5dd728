// Unit tests of the config: the demo file is valid and complete, a wrong file lists every problem by path.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../proxy/config/duration.ts';
import { ConfigError, checkConfig, loadConfig } from '../../proxy/config/load.ts';

const demoFile = fileURLToPath(new URL('../../proxy/config/demo.yaml', import.meta.url));

function problemsOf(raw: unknown): string[] {
  try {
    checkConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('config', () => {
  it('reads the demo config: three pools, memory sticky by lb-cookie, redis and jwt round robin', () => {
    const config = loadConfig(demoFile);
    expect(config.listener).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(config.control).toEqual({ host: '127.0.0.1', port: 8081, allowedHosts: [] });
    expect(config.rules.map((rule) => `${rule.path}->${rule.pool}`)).toEqual([
      '/memory->memory',
      '/redis->redis',
      '/jwt->jwt',
    ]);
    expect(config.pools.memory!.stickiness.type).toBe('lb-cookie');
    expect(config.pools.redis!.stickiness.type).toBe('none');
    expect(config.pools.jwt!.algorithm).toBe('round-robin');
    expect(config.pools.jwt!.targets.map((target) => target.url)).toEqual([
      'http://127.0.0.1:3021',
      'http://127.0.0.1:3022',
      'http://127.0.0.1:3023',
    ]);
  });

  it('fills the documented defaults', () => {
    const config = checkConfig({
      rules: [{ path: '/a', pool: 'a' }],
      pools: { a: { targets: [{ id: 'a1', url: 'http://127.0.0.1:1' }] } },
    });
    const pool = config.pools.a!;
    expect(pool).toMatchObject({
      algorithm: 'round-robin',
      stickiness: { type: 'none' },
      failover: 're-stick',
      healthCheck: { path: '/healthz', interval: 1_000, timeout: 1_000, healthyThreshold: 2, unhealthyThreshold: 2 },
      retries: { count: 2, within: 3_000 },
      deregistrationDelay: 5_000,
      timeout: 15_000,
    });
    expect(pool.targets[0]!.weight).toBe(1);
    expect(
      checkConfig({ rules: [{ path: '/a', pool: 'a' }], pools: { a: { stickiness: { type: 'lb-cookie' } } } }).pools.a!
        .stickiness,
    ).toMatchObject({
      duration: 86_400_000,
      cookie: { name: 'LABLB', httpOnly: true, secure: false, sameSite: 'Lax' },
    });
  });

  it('lists every problem of a wrong config by path', () => {
    const problems = problemsOf({
      listener: { port: 70_000 },
      rules: [{ path: '/memory', pool: 'nowhere' }],
      pools: {
        memory: {
          algorithm: 'fastest',
          stickiness: { type: 'lb-cookie', duration: '9d' },
          targets: [
            { id: 'm1', url: 'ftp://host' },
            { id: 'm1', url: 'http://127.0.0.1:1', weight: -2 },
          ],
        },
      },
      surprise: true,
    });
    const paths = problems.map((problem) => problem.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'listener.port',
        'rules.0.pool',
        'pools.memory.algorithm',
        'pools.memory.stickiness.duration',
        'pools.memory.targets.0.url',
        'pools.memory.targets.1.weight',
        'pools.memory.targets.1.id',
        '(top level)',
      ]),
    );
    expect(problems.find((problem) => problem.startsWith('pools.memory.stickiness.duration'))).toContain(
      'between 1s and 7d',
    );
  });

  it('reads durations as seconds or with a unit', () => {
    expect(parseDuration(30)).toBe(30_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});
