// The containerised lab end to end: built from the Dockerfile, `docker compose up`, the README's first lost cart, two
// scenarios, the console. It needs a Docker engine; where none answers it is reported as skipped with the reason (the
// only test allowed to skip).
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../contract/wire.ts';
import { ProxyAdmin } from '../../scripts/lab-client/proxy-admin.ts';
import { ComposeSentinels } from '../../scripts/orchestrators/compose-sentinels.ts';
import { ManagedChild } from '../../scripts/process/child.ts';
import { freePort } from '../../scripts/process/free-port.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { replicasInSync } from '../../scripts/process/redis-replication.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import type { ScenarioRow } from '../../scripts/scenarios/definition.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import {
  baseImageIsStandIn,
  ComposeProject,
  noEngineReason,
  prepareHostBuiltAppFiles,
  removeHostBuiltAppFiles,
} from './compose-project.ts';

/** Runs one of the lab's CLIs on the host as `npm run NAME -- ARGS` would, in the project's environment. */
async function runCli(
  project: ComposeProject,
  script: string,
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  const child = new ManagedChild({
    name: script,
    command: process.execPath,
    args: ['--import', 'tsx', `scripts/${script}.ts`, ...args],
    cwd: projectRoot,
    env: project.env,
  });
  try {
    const exit = await child.exited;
    return { code: exit.code, output: child.recentOutput() };
  } finally {
    await child.kill();
  }
}

/**
 * The rows of `npm run scenario -- NAME --compose` against the project, by mode; the scenario CLI must exit 0.
 */
async function scenarioRows(
  project: ComposeProject,
  controlUrl: string,
  name: string,
): Promise<Map<string, ScenarioRow[]>> {
  const json = join(tmpdir(), `compose-e2e-${process.pid}-${name}.json`);
  try {
    const result = await runCli(project, 'scenario', [name, '--compose', '--control', controlUrl, '--json', json]);
    expect(result.code, result.output).toBe(0);
    const rows = (JSON.parse(readFileSync(json, 'utf8')) as { scenarios: ScenarioRow[] }).scenarios;
    const byMode = new Map<string, ScenarioRow[]>();
    for (const row of rows) byMode.set(row.mode, [...(byMode.get(row.mode) ?? []), row]);
    return byMode;
  } finally {
    rmSync(json, { force: true });
  }
}

/** What the first test leaves running for the next: the project, its control URL, a shop and the proxy's view. */
interface RunningLab {
  project: ComposeProject;
  controlUrl: string;
  shop(pool: string): ShopClient;
  healthy(): Promise<Set<string>>;
}

describe('docker compose lab', () => {
  let project: ComposeProject | undefined;
  let running: RunningLab | undefined;
  afterAll(async () => {
    // `down -v` whatever happened, and nothing of the project may be left
    if (!project) return;
    await project.down();
    removeHostBuiltAppFiles();
    expect(await project.leftovers()).toEqual([]);
  }, 240_000);

  it('starts with a broken instance, loses the memory cart of a killed container ' +
    'while redis and jwt keep theirs, and runs scenarios against the containers', {
    timeout: 900_000,
  }, async (context) => {
    const reason = await noEngineReason();
    if (reason) context.skip(`no Docker engine answers here (${reason})`);

    const ports = { proxy: await freePort(), control: await freePort() };
    // Where the base images are CI's stand-ins, containers cannot reach npm: the image takes what the host built.
    const offline = await baseImageIsStandIn();
    const buildFiles = offline ? ['test/compose/prebuilt-app-files.yaml'] : [];
    project = new ComposeProject(`stickiness-lab-e2e-${process.pid}`, ports, [
      ...buildFiles,
      'test/compose/never-ready-instance.yaml',
    ]);
    const lab = project;
    if (offline) await prepareHostBuiltAppFiles();
    // the image every service runs, from the project's Dockerfile (the full build, or its `prebuilt` stage)
    await lab.compose(['build', 'proxy'], 900_000);

    // `docker compose up` succeeds although jwt-3 never serves, and the proxy turns healthy
    await lab.compose(['up', '--detach'], 300_000);
    await waitUntil(async () => (await lab.health('proxy')) === 'healthy', 'the proxy container to be healthy', {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    const controlUrl = `http://127.0.0.1:${ports.control}`;
    const admin = new ProxyAdmin(controlUrl);
    const healthy = async () =>
      new Set((await admin.targets()).filter((target) => target.state === 'healthy').map((target) => target.id));
    const every = ['memory-1', 'memory-2', 'memory-3', 'redis-1', 'redis-2', 'redis-3', 'jwt-1', 'jwt-2'];
    await waitUntil(
      async () => {
        const ids = await healthy();
        return every.every((id) => ids.has(id));
      },
      'every instance but jwt-3 to pass the proxy health checks',
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect((await healthy()).has('jwt-3')).toBe(false);

    // The README's first lost cart: a cart in each shop, the memory instance in the badge killed from the host.
    const shop = (pool: string) => new ShopClient(`http://127.0.0.1:${ports.proxy}/${pool}`);
    const [memory, redis, jwt] = [shop('memory'), shop('redis'), shop('jwt')];
    const added = await memory.add('kettle', 1);
    expect(added.status).toBe(200);
    expect((await redis.add('kettle', 1)).status).toBe(200);
    expect((await jwt.add('kettle', 1)).status).toBe(200);
    const victim = added.servedBy as string;
    const crash = await runCli(lab, 'fault', ['crash', victim, '--compose', '--control', controlUrl]);
    expect(crash.code, crash.output).toBe(0);
    expect(crash.output).toContain(`docker compose kill -s SIGKILL ${victim}`);
    expect(await lab.health(victim)).toBe('exited');

    const after = await memory.getCart();
    expect(after.status).toBe(200);
    expect(after.servedBy).not.toBe(victim);
    expect(after.body.items).toEqual([]);
    expect((await redis.getCart()).body.count).toBe(1);
    expect((await jwt.getCart()).body.count).toBe(1);

    // `docker compose start` brings it back, empty
    await lab.compose(['start', victim]);
    await waitUntil(async () => (await healthy()).has(victim), `${victim} to pass the proxy health checks again`, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });

    // Scenarios against the containers, through the scenario CLI with --compose; the crashed ones are started between.
    const scenario = async (name: string): Promise<Map<string, ScenarioRow>> =>
      new Map([...(await scenarioRows(lab, controlUrl, name))].map(([mode, rows]) => [mode, rows[0] as ScenarioRow]));
    const crashed = await scenario('instance-crash');
    expect(crashed.get('memory'), crashed.get('memory')?.notes).toMatchObject({ verdict: 'lost' });
    expect(crashed.get('memory')?.carts.kept).toBeGreaterThan(0);
    for (const mode of ['redis', 'jwt'])
      expect(crashed.get(mode), crashed.get(mode)?.notes).toMatchObject({
        verdict: 'kept',
        carts: { checked: 12, kept: 12, lost: 0 },
      });

    const exited = (await lab.compose(['ps', '--all', '--status', 'exited', '--format', '{{.Service}}']))
      .split('\n')
      .filter(Boolean);
    expect(exited).toHaveLength(3);
    await lab.compose(['start', ...exited]);
    await waitUntil(
      async () => {
        const ids = await healthy();
        return exited.every((id) => ids.has(id));
      },
      'the crashed instances to pass the proxy health checks again',
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    const outage = await scenario('redis-outage');
    expect(outage.get('redis'), outage.get('redis')?.notes).toMatchObject({
      verdict: 'kept',
      carts: { checked: 12, kept: 12, lost: 0 },
    });

    // the console's page on the control port
    const consolePage = await fetch(`${controlUrl}/console/`);
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get('content-type')).toContain('text/html');
    expect(await consolePage.text()).toContain('<title>');
    running = { project: lab, controlUrl, shop, healthy };
  });

  it('slows and stalls Redis through the relay container, and cuts an instance off the network', {
    timeout: 300_000,
  }, async (context) => {
    if (!running) context.skip('the compose lab of the first test is not running (see its failure or skip)');
    const { project: lab, controlUrl, shop, healthy } = running as RunningLab;
    const fault = async (...args: string[]) => {
      const result = await runCli(lab, 'fault', [...args, '--compose', '--control', controlUrl]);
      expect(result.code, result.output).toBe(0);
      return result.output;
    };
    const redis = shop('redis');
    expect((await redis.add('mug', 1)).status).toBe(200);

    // slow: over the shops' 500 ms command timeout, a fast 503; heal: the same cart again
    expect(await fault('slow', 'redis', '--ms', '800')).toContain('toxic on the relay: latency 800 ms');
    const started = performance.now();
    const refused = await redis.add('teapot', 1);
    expect(refused.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await fault('stall', 'redis')).toContain('toxic on the relay: stall');
    expect((await redis.getCart()).status).toBe(503);
    expect(await fault('heal', 'redis')).toContain('toxic on the relay: none');
    const healed = await redis.getCart();
    expect(healed.status).toBe(200);
    expect(healed.body.items.find((item) => item.sku === 'mug')?.qty).toBe(1);

    // blackhole: the container leaves the network; the proxy marks it out and the pool serves on; unblackhole: back
    const victim = 'memory-2';
    const cutAt = performance.now();
    expect(await fault('blackhole', victim)).toContain(`${victim} cut off the network (docker network disconnect`);
    await waitUntil(async () => !(await healthy()).has(victim), `the proxy to mark ${victim} out`, {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    const outAfterMs = performance.now() - cutAt;
    const memory = shop('memory');
    for (let request = 0; request < 6; request += 1) {
      const answer = await memory.getCart();
      expect(answer.status).toBe(200);
      expect(answer.servedBy).not.toBe(victim);
    }
    expect(await fault('unblackhole', victim)).toContain(`${victim} back on the network`);
    await waitUntil(async () => (await healthy()).has(victim), `${victim} to pass the proxy health checks again`, {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    process.stderr.write(`compose blackhole: ${victim} marked out ${Math.round(outAfterMs)} ms after the command\n`);

    // the scenario of slow Redis against the containers: the same phases as natively, through docker compose exec
    const slowRows = (await scenarioRows(lab, controlUrl, 'redis-slow')).get('redis') ?? [];
    expect(slowRows.map((row) => row.verdict)).toEqual(['kept', 'kept', 'kept', 'kept']);
    expect(slowRows[0]?.requests.failed, slowRows[0]?.notes).toBe(0);
    for (const row of slowRows.slice(2)) expect(row.requests.failed, row.notes).toBe(row.requests.total);
    // and a scenario that needs what compose does not run is refused, saying why
    const failover = await runCli(lab, 'scenario', ['redis-failover', '--compose', '--control', controlUrl]);
    expect(failover.code).toBe(1);
    expect(failover.output).toContain(
      'needs a replicated Redis whose replication the scenario slows down: the compose lab runs a single Redis',
    );
  });

  it('runs Redis replicated with compose.replicated.yaml: the failover scenario, crash redis-primary and failover ' +
    'redis, and the redis shops follow without a restart', {
    timeout: 600_000,
  }, async (context) => {
    if (!running) context.skip('the compose lab of the first test is not running (see its failure or skip)');
    const { controlUrl, shop, healthy } = running as RunningLab;
    // the running project with the override laid over it, as a person would: COMPOSE_FILE names both
    const lab = (running as RunningLab).project.layered('compose.replicated.yaml');
    project = lab;
    const sentinels = new ComposeSentinels((args) => lab.compose(args));
    const fault = async (...args: string[]) => {
      const result = await runCli(lab, 'fault', [...args, '--compose', '--control', controlUrl]);
      expect(result.code, result.output).toBe(0);
      return result.output;
    };
    const redisShops = ['redis-1', 'redis-2', 'redis-3'];
    const ids = async () => (await lab.compose(['ps', '--quiet', ...redisShops])).trim().split('\n').sort();
    await lab.compose(['up', '--detach'], 300_000);
    const shopContainers = await ids();
    await waitUntil(
      async () => {
        const up = await healthy();
        return redisShops.every((id) => up.has(id));
      },
      'the redis shops on the Sentinels to pass the proxy health checks',
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const redis = shop('redis');
    await waitUntil(async () => (await redis.getCart()).status === 200, 'the redis shop to read through Sentinel', {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    // The Sentinels learn of the replicas from the primary's INFO, every ten seconds: a primary that dies before they
    // know of one has nothing to be replaced by.
    await sentinels.waitForSet(2);

    // the failover scenario, with the replicas lagging behind redis-relay as natively; it puts redis back as primary
    const [plain] = (await scenarioRows(lab, controlUrl, 'redis-failover')).get('redis') ?? [];
    const lost = Number(/(\d+) of \d+ acknowledged adds lost/.exec(plain?.notes ?? '')?.[1]);
    expect(plain?.verdict, plain?.notes).toBe('lost');
    expect(lost, plain?.notes).toBeGreaterThan(0);
    expect(plain?.notes).toMatch(/writes refused for \d+\.\d s after the primary was killed/);
    process.stderr.write(`compose redis-failover: ${plain?.notes}\n`);
    expect(await sentinels.primary()).toBe('redis');
    const waiting = await runCli(lab, 'scenario', ['redis-failover-wait', '--compose', '--control', controlUrl]);
    expect(waiting.output).toContain('needs shops started with REDIS_WAIT_REPLICAS=1');

    /** Waits until the replicas of `primary` have every write it has (their offsets equal its own). */
    const replicasCaughtUp = (primary: string) =>
      waitUntil(
        async () => replicasInSync(await lab.compose(['exec', '-T', primary, 'redis-cli', 'INFO', 'replication']), 2),
        `the replicas of ${primary} to catch up`,
        { timeoutMs: 60_000, intervalMs: 250 },
      );
    /** Adds one honey until the shop takes it; a refused add may have landed, so the cart holds at most `tries`. */
    const addHoney = async () => {
      let tries = 0;
      await waitUntil(
        async () => {
          tries += 1;
          return (await redis.add('honey', 1)).status === 200;
        },
        'the redis shop to write after the failover',
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      return tries;
    };

    expect((await redis.add('kettle', 1)).status).toBe(200);
    await replicasCaughtUp('redis');
    expect(await fault('crash', 'redis-primary')).toContain(
      'redis-primary is redis: redis crashed (SIGKILL) (docker compose kill -s SIGKILL redis)',
    );
    let tries = await addHoney();
    const promoted = await sentinels.primary();
    expect(['redis-node-2', 'redis-node-3']).toContain(promoted);
    // the console's Redis node, from the proxy's container, which asks the Sentinels over the project's network
    let consoleRows: ServiceStatus[] = [];
    await waitUntil(
      async () => {
        consoleRows = (await (await fetch(`${controlUrl}/api/console/services`)).json()) as ServiceStatus[];
        const old = consoleRows.find((row) => row.id === 'redis');
        return old?.role === 'replica' && old.state === 'unavailable';
      },
      'the console to show redis as a replica the Sentinels see down',
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(consoleRows.filter((row) => row.role === 'primary').map((row) => row.id)).toEqual([promoted]);
    expect((await redis.cartOnceServed()).find((item) => item.sku === 'kettle')?.qty).toBe(1);

    // the old primary comes back as a replica of the promoted one; an operator's failover promotes another again
    await lab.compose(['start', 'redis']);
    await replicasCaughtUp(promoted);
    await sentinels.waitForSet(2);
    expect(await fault('failover', 'redis')).toMatch(
      new RegExp(`redis failed over: (redis|redis-node-\\d) is primary now, ${promoted} a replica`),
    );
    tries += await addHoney();
    const cart = await redis.cartOnceServed();
    expect(cart.find((item) => item.sku === 'kettle')?.qty).toBe(1);
    const honey = cart.find((item) => item.sku === 'honey')?.qty ?? 0;
    expect(honey).toBeGreaterThanOrEqual(2);
    expect(honey).toBeLessThanOrEqual(tries);
    // the same shop containers throughout, and every one of them reaches the primary: each followed every failover
    // on its own, without a restart
    expect(await ids()).toEqual(shopContainers);
    const storeOf = async (service: string) =>
      (
        await lab.compose([
          'exec',
          '-T',
          service,
          'node',
          '-e',
          "fetch('http://127.0.0.1:3000/healthz').then((r) => r.json()).then((body) => console.log(body.store))",
        ])
      ).trim();
    await waitUntil(
      async () => (await Promise.all(redisShops.map(storeOf))).every((store) => store === 'ok'),
      'every redis shop to reach the primary',
      { timeoutMs: 30_000, intervalMs: 500 },
    );

    // the relay is not in the shops' path here, so slow refuses and says why
    const slow = await runCli(lab, 'fault', ['slow', 'redis', '--compose', '--control', controlUrl]);
    expect(slow.code).not.toBe(0);
    expect(slow.output).toContain('this compose lab runs a replicated one');
  });
});
