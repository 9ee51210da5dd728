// A few scenarios run for real: the verdicts come from what simulated shoppers observed through the proxy.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/process/free-port.ts';
import type { ScenarioRow } from '../../scripts/scenarios/definition.ts';
import { scenarios } from '../../scripts/scenarios/registry.ts';
import { runScenarios } from '../../scripts/scenarios/runner.ts';

async function run(name: string): Promise<Map<string, ScenarioRow>> {
  const scenario = scenarios.get(name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  const rows = await runScenarios([scenario]);
  return new Map(rows.map((row) => [`${row.mode}/${row.stickiness}`, row]));
}

// each scenario starts a stack of its own and runs for seconds: on a busy two-core machine that can pass 30 s
describe('scenarios', { timeout: 120_000 }, () => {
  it(
    'instance-crash: the memory carts on the crashed instance are lost, redis and ' +
      'jwt keep every cart, no request fails unless its answer was cut mid-write',
    async () => {
      const rows = await run('instance-crash');
      const memory = rows.get('memory/lb-cookie');
      expect(memory?.verdict).toBe('lost');
      expect(memory?.carts.lost).toBeGreaterThan(0);
      expect(memory?.carts.kept).toBeGreaterThan(0);
      for (const key of ['redis/none', 'jwt/none']) {
        expect(rows.get(key)).toMatchObject({ verdict: 'kept', carts: { checked: 12, kept: 12, lost: 0 } });
      }
      // A request not yet answered is retried elsewhere; one whose answer the instance was writing when it
      // died cannot be (express-session writes the head, then the last byte after the store call).
      for (const row of rows.values()) expect(row.requests.failed, row.notes).toBe(row.requests.cut);
    },
  );

  it(
    'graceful-stop: drained and stopped, not one request fails; ' + 'memory still loses the carts of that instance',
    async () => {
      const rows = await run('graceful-stop');
      expect(rows.get('memory/lb-cookie')?.verdict).toBe('lost');
      expect(rows.get('redis/none')?.verdict).toBe('kept');
      expect(rows.get('jwt/none')?.verdict).toBe('kept');
      for (const row of rows.values()) {
        expect(row.requests.total).toBeGreaterThan(100);
        expect(row.requests.failed).toBe(0);
      }
    },
  );

  it('redis-restart-no-persistence: requests fail while Redis is away and the carts do not come back', async () => {
    const rows = await run('redis-restart-no-persistence');
    const redis = rows.get('redis/none');
    expect(redis?.verdict).toBe('lost');
    expect(redis?.carts.kept).toBe(0);
    expect(redis?.requests.failed).toBeGreaterThan(0);
  });

  it(
    'concurrent-tabs: atomic writes keep every acknowledged add; whole-session ' +
      'and token writes lose some; a serialising client keeps the token cart',
    async () => {
      const rows = await runScenarios([scenarios.get('concurrent-tabs')!]);
      const byWrites = new Map(rows.map((row) => [`${row.mode} ${row.cartWrites}`, row]));
      expect([...byWrites.keys()]).toEqual([
        'memory atomic',
        'memory whole-session',
        'redis atomic',
        'redis whole-session',
        'jwt token',
        'jwt token+serial-client',
      ]);
      const redis = byWrites.get('redis atomic');
      expect(redis).toMatchObject({ verdict: 'kept', writes: { lost: 0, clearedLinesBack: 0 } });
      expect(redis?.writes?.acknowledged).toBeGreaterThan(50);
      for (const lesson of ['memory whole-session', 'redis whole-session', 'jwt token']) {
        expect(byWrites.get(lesson)?.verdict, lesson).toBe('lost');
        expect(byWrites.get(lesson)?.writes?.lost, lesson).toBeGreaterThan(0);
      }
      expect(byWrites.get('jwt token+serial-client')).toMatchObject({
        verdict: 'kept',
        writes: { lost: 0, clearedLinesBack: 0 },
      });
      // a memory shopper moved by a failed health check finds an empty cart, but a cleared line never comes back
      expect(byWrites.get('memory atomic')?.writes?.clearedLinesBack).toBe(0);
    },
  );

  it(
    'redis-slow: late answers are still answered, answers later than ' +
      'the shops wait are 503s, and no acknowledged add is lost',
    async () => {
      const rows = await runScenarios([scenarios.get('redis-slow')!]);
      expect(rows.map((row) => row.notes.split(':')[0])).toEqual([
        'no toxic',
        'latency 100 ms (under the shops\u2019 500 ms command timeout)',
        'latency 800 ms (over it)',
        'stall (nothing answers, connections stay open)',
      ]);
      for (const row of rows) expect(row).toMatchObject({ verdict: 'kept', carts: { checked: 12, lost: 0 } });
      expect(rows[0]?.requests.failed).toBe(0);
      // every request needs Redis: past the command timeout each one is refused, none hangs and none is acknowledged
      for (const row of rows.slice(2)) expect(row.requests.failed, row.notes).toBe(row.requests.total);
      expect(rows.at(-1)?.notes).toContain('no acknowledged add lost');
    },
  );

  it(
    'redis-failover loses adds the primary acknowledged before its lagging ' +
      'replica had them; with WAIT for a replica none is lost',
    async () => {
      const rows = await runScenarios([scenarios.get('redis-failover')!, scenarios.get('redis-failover-wait')!]);
      const [plain, waiting] = rows;
      const lostOf = (row: ScenarioRow | undefined) =>
        Number(/(\d+) of \d+ acknowledged adds lost/.exec(row?.notes ?? '')?.[1]);
      expect(plain?.verdict, plain?.notes).toBe('lost');
      expect(lostOf(plain), plain?.notes).toBeGreaterThan(0);
      expect(waiting?.verdict, waiting?.notes).toBe('kept');
      expect(lostOf(waiting), waiting?.notes).toBe(0);
      for (const row of rows) expect(row.notes).toMatch(/writes refused for \d+\.\d s after the primary was killed/);
    },
  );

  it(
    'instance-blackhole: an instance whose packets vanish is marked out by ' +
      'the proxy; memory loses its carts, no request fails, no rule is left',
    async () => {
      const rows = await run('instance-blackhole');
      expect(rows.get('memory/lb-cookie')?.verdict).toBe('lost');
      for (const key of ['redis/none', 'jwt/none'])
        expect(rows.get(key)).toMatchObject({ verdict: 'kept', carts: { checked: 12, kept: 12 } });
      for (const row of rows.values())
        expect(row.notes).toMatch(/cut off the network \w+-\d, .*; marked out after \d+ ms/);
      // the proxy's connect timeout and redispatch move every request that met the silent instance (the redis row is
      // left out: on a busy machine its store may answer 503 on its own)
      for (const key of ['memory/lb-cookie', 'jwt/none'])
        expect(rows.get(key)?.requests.failed, rows.get(key)?.notes).toBe(0);
      expect(execFileSync('iptables', ['-w', '-S', 'INPUT'], { encoding: 'utf8' })).not.toContain(
        `stickiness-lab:${process.pid}`,
      );
    },
  );

  it('reports a scenario that cannot run as failed instead of guessing', async () => {
    const rows = await runScenarios([scenarios.get('redis-restart-no-persistence')!], {
      controlUrl: `http://127.0.0.1:${await freePort()}`,
    });
    expect(rows.map((row) => row.verdict)).toEqual(['failed']);
    expect(rows[0]?.notes).toContain('needs a stack of its own');
  });
});
