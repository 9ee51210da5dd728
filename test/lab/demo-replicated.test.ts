// `npm run demo -- --redis replicated` as a person uses it: the redis shop keeps its carts and writes again, with no
// restart, after a manual failover and after the primary is killed; the services list names the new primary.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../contract/wire.ts';
import { replicasInSync } from '../../scripts/process/redis-replication.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { readSupervisorSecret } from '../../scripts/stack/supervisor-secret.ts';
import { type RunningDemo, runFault, startDemo } from '../helpers/demo.ts';

describe('npm run demo -- --redis replicated', () => {
  let demo: RunningDemo | undefined;
  let controlUrl: string;
  let services: () => Promise<ServiceStatus[]>;

  beforeAll(async () => {
    demo = await startDemo(process.env, ['--redis', 'replicated']);
    controlUrl = demo.controlUrl as string;
    const lab = (await (await fetch(`${controlUrl}/api/lab`)).json()) as { supervisorUrl: string };
    const secret = readSupervisorSecret(lab.supervisorUrl);
    services = async () =>
      (await (
        await fetch(`${lab.supervisorUrl}/api/services`, { headers: { authorization: `Bearer ${secret}` } })
      ).json()) as ServiceStatus[];
  }, 60_000);
  afterAll(async () => {
    await demo?.child.stop();
  });

  const primaryNow = async () => (await services()).find((row) => row.role === 'primary')?.id;

  /**
   * Waits until every replica of the primary has all it has (equal replication offsets). Replication is asynchronous:
   * a write the primary acknowledged dies with it if no replica had it yet, the lesson of redis-failover; this test is
   * about the shop following a failover, so it crashes the primary only once nothing is in flight.
   */
  const replicasCaughtUp = async () => {
    const port = (await services()).find((row) => row.role === 'primary')?.port;
    const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      // the demo's set has one replica
      await waitUntil(
        async () => replicasInSync(await client.info('replication'), 1),
        'the replica to have every write of the primary',
      );
    } finally {
      client.disconnect();
    }
  };

  it('lists each Redis server with its role and the Sentinels, and names the topology in its banner', async () => {
    expect(demo?.output).toMatch(/redis\s+replicated: primary redis-node-1 \(port \d+\), 1 replica, 3 Sentinels/);
    const rows = await services();
    expect(rows.filter((row) => row.kind === 'redis').map((row) => [row.id, row.role, row.state])).toEqual([
      ['redis-node-1', 'primary', 'running'],
      ['redis-node-2', 'replica', 'running'],
    ]);
    expect(rows.filter((row) => row.kind === 'sentinel').map((row) => row.state)).toEqual([
      'running',
      'running',
      'running',
    ]);
  });

  it('keeps the cart and writes again after a manual failover and after the primary is killed', async () => {
    const shop = new ShopClient(demo?.shopUrl('redis') as string);
    expect((await shop.add('kettle', 1)).status).toBe(200);
    const writesAgain = (item: string) =>
      waitUntil(async () => (await shop.add(item, 1)).status === 200, 'the redis shop to write again', {
        timeoutMs: 15_000,
        intervalMs: 100,
      });

    const failover = await runFault('failover', 'redis', '--control', controlUrl);
    expect(failover.code, failover.output).toBe(0);
    expect(failover.output).toContain('redis-node-2 is primary now, redis-node-1 a replica');
    expect(await primaryNow()).toBe('redis-node-2');
    await writesAgain('mug');

    await replicasCaughtUp();
    const crash = await runFault('crash', 'redis-primary', '--control', controlUrl);
    expect(crash.code, crash.output).toBe(0);
    expect(crash.output).toContain('redis-node-2 crashed (SIGKILL)');
    expect(crash.output).toContain('the primary is redis-node-1');
    expect(await primaryNow()).toBe('redis-node-1');
    await writesAgain('honey');

    // each shop instance follows on its own: the one a read meets may still be reconnecting
    const items = await shop.cartOnceServed();
    // the kettle from before both failovers is still there, once, beside what was added after each
    expect(items.find((item) => item.sku === 'kettle')?.qty).toBe(1);
    expect(items.map((item) => item.sku).sort()).toEqual(['honey', 'kettle', 'mug']);
  }, 90_000);

  it('refuses slow, stall and heal, which act on the relay in front of a single Redis', async () => {
    const slow = await runFault('slow', 'redis', '--control', controlUrl);
    expect(slow.code).toBe(1);
    expect(slow.output).toContain('slow, stall and heal act on a single Redis; this lab runs a replicated one');
  }, 30_000);
});
