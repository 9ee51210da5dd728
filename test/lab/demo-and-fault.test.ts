// `npm run demo` and `npm run fault` as a person uses them: ready line, faults by name, clear errors, and a clean
// Ctrl-C.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/process/free-port.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { readSupervisorSecret } from '../../scripts/stack/supervisor-secret.ts';
import { type RunningDemo, runFault, startDemo } from '../helpers/demo.ts';

describe('npm run demo with the fault CLI', () => {
  let demo: RunningDemo | undefined;
  let shopUrl: (pool: string) => string;
  let controlUrl: string;

  beforeAll(async () => {
    demo = await startDemo();
    const running = demo;
    shopUrl = (pool) => running.shopUrl(pool) as string;
    controlUrl = running.controlUrl as string;
    expect(['memory', 'redis', 'jwt'].map((pool) => running.shopUrl(pool)).every(Boolean)).toBe(true);
    expect(controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }, 30_000);
  afterAll(async () => {
    await demo?.child.stop();
  });

  it(
    'crashes the instance in the badge: the memory cart is gone, ' +
      'served by another instance, while redis and jwt keep theirs',
    async () => {
      const memory = new ShopClient(shopUrl('memory'));
      const redis = new ShopClient(shopUrl('redis'));
      const jwt = new ShopClient(shopUrl('jwt'));
      const added = await memory.add('kettle', 1);
      await redis.add('kettle', 1);
      await jwt.add('kettle', 1);
      const page = await memory.request<string>('GET', '/');
      const badge = /id="served-by"[^>]*>([\w-]+) · memory</.exec(page.body)?.[1];
      expect(badge).toBe(added.servedBy);

      const fault = await runFault('crash', badge as string, '--control', controlUrl);
      expect(fault.code).toBe(0);
      expect(fault.output).toContain(`${badge} crashed (SIGKILL)`);

      const after = await memory.request<string>('GET', '/');
      expect(after.status).toBe(200);
      expect(after.body).not.toContain(`>${badge} · memory<`);
      expect(after.body).toContain('The cart is empty.');
      expect((await redis.getCart()).body.count).toBe(1);
      expect((await jwt.getCart()).body.count).toBe(1);

      const again = await runFault('start', badge as string, '--control', controlUrl);
      expect(again.code).toBe(0);
      expect(again.output).toContain(`${badge} started`);
    },
  );

  it(
    'acts for no web page: a cross-site form to the supervisor ' +
      'and a rebound name on the control port change nothing',
    async () => {
      const lab = (await (await fetch(`${controlUrl}/api/lab`)).json()) as { supervisorUrl: string };
      const form = {
        method: 'POST',
        headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'x=1',
      };
      const scaleOut = await fetch(`${lab.supervisorUrl}/api/faults/scale-out/jwt`, form);
      expect([scaleOut.status, ((await scaleOut.json()) as { error: { code: string } }).error.code]).toEqual([
        403,
        'cross_origin',
      ]);
      const noSecret = await fetch(`${lab.supervisorUrl}/api/faults/scale-out/jwt`, { method: 'POST' });
      expect([noSecret.status, ((await noSecret.json()) as { error: { code: string } }).error.code]).toEqual([
        401,
        'lab_secret_required',
      ]);
      const targets = (await (await fetch(`${controlUrl}/api/targets`)).json()) as { id: string }[];
      expect(targets.map((target) => target.id)).not.toContain('jwt-4');
    },
  );

  it('drains and undrains through the proxy', async () => {
    expect((await runFault('drain', 'jwt-2', '--control', controlUrl)).code).toBe(0);
    const targets = (await (await fetch(`${controlUrl}/api/targets`)).json()) as { id: string; state: string }[];
    expect(targets.find((target) => target.id === 'jwt-2')?.state).toBe('draining');
    expect((await runFault('undrain', 'jwt-2', '--control', controlUrl)).code).toBe(0);
  });

  it('says so and exits non-zero for an unknown target, an unknown action, or no running stack', async () => {
    const unknownTarget = await runFault('crash', 'memory-9', '--control', controlUrl);
    expect(unknownTarget.code).toBe(1);
    expect(unknownTarget.output).toContain('no service "memory-9"');

    const unknownAction = await runFault('explode', 'memory-1', '--control', controlUrl);
    expect(unknownAction.code).toBe(2);
    expect(unknownAction.output).toContain('unknown action "explode"');

    const nothing = await runFault('crash', 'memory-1', '--control', `http://127.0.0.1:${await freePort()}`);
    expect(nothing.code).toBe(1);
    expect(nothing.output).toContain('is the stack running?');
  });

  it('refuses the replicated Redis faults on this single Redis, saying how to start one', async () => {
    for (const args of [
      ['failover', 'redis'],
      ['crash', 'redis-primary'],
    ]) {
      const refused = await runFault(...(args as [string, string]), '--control', controlUrl);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.output).toContain('this lab runs a single Redis');
      expect(refused.output).toContain('npm run demo -- --redis replicated');
    }
    // under Compose too, unless compose.replicated.yaml is in COMPOSE_FILE
    expect((await runFault('failover', 'redis', '--compose', '--control', controlUrl)).output).toContain(
      'the compose lab runs a single Redis ("redis"); redis-primary, redis-node-2 and failover need the replicated one',
    );
  });

  it('stops every child on SIGTERM within 5 s and leaves no process behind', async () => {
    const lab = (await (await fetch(`${controlUrl}/api/lab`)).json()) as { supervisorUrl: string };
    const secret = readSupervisorSecret(lab.supervisorUrl);
    const services = (await (
      await fetch(`${lab.supervisorUrl}/api/services`, { headers: { authorization: `Bearer ${secret}` } })
    ).json()) as { pid?: number }[];
    const pids = services.flatMap((service) => (service.pid ? [service.pid] : []));
    expect(pids.length).toBeGreaterThanOrEqual(11);

    const stopped = Date.now();
    demo?.child.signal('SIGTERM');
    expect(await demo?.child.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopped).toBeLessThan(5_000);
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});

describe('npm run demo without redis-server on PATH', () => {
  it('says how to install it in one line and still runs the memory and jwt shops', async () => {
    // a PATH that has node but no redis-server
    const bin = mkdtempSync(join(tmpdir(), 'lab-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const demo = await startDemo({ ...process.env, PATH: bin });
    try {
      const output = demo.output;
      const hints = output.split('\n').filter((line) => line.includes('redis-server is not on PATH'));
      expect(hints).toHaveLength(1);
      expect(hints[0]).toContain('apt-get install redis-server');
      expect(output).toMatch(/redis\s+shop\s+\(not running\)/);
      expect((await new ShopClient(demo.shopUrl('memory') as string).add('mug', 1)).status).toBe(200);
      expect((await new ShopClient(demo.shopUrl('jwt') as string).add('mug', 1)).status).toBe(200);
    } finally {
      await demo.child.stop();
      rmSync(bin, { recursive: true, force: true });
    }
    expect((await demo.child.exited).code).toBe(0);
  });
});

describe("npm run demo's command line", () => {
  it('prints the usage to stdout and exits 0 for --help, and exits 2 with the usage for an unknown flag', async () => {
    const run = (flag: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', flag], { cwd: projectRoot });
    const help = await run('--help');
    expect(help.stdout).toMatch(/^usage: npm run demo \[-- --port 8080 .*--cart-writes atomic\|whole-session\]\n$/);
    expect(help.stderr).toBe('');
    const wrong = await run('--sticky').catch((error: { code: number; stderr: string }) => error);
    expect(wrong).toMatchObject({ code: 2 });
    expect((wrong as { stderr: string }).stderr).toMatch(/Unknown option '--sticky'\nusage: npm run demo/);
  });

  it('refuses an unknown Redis topology with exit code 2, from the flag or LAB_REDIS, naming the two', async () => {
    const run = (args: string[], env: NodeJS.ProcessEnv) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], { cwd: projectRoot, env })
        .then(() => ({ code: 0, stderr: '' }))
        .catch((error: { code: number; stderr: string }) => error);
    const expected = /--redis: expected single or replicated, got "cluster"/;
    for (const [args, env] of [
      [['--redis', 'cluster'], process.env],
      [[], { ...process.env, LAB_REDIS: 'cluster' }],
    ] as const) {
      const refused = await run([...args], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(expected);
    }
  });
});
