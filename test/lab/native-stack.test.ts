// The native stack as the demo and the scenarios use it: a fault through the driver, carts observed through the proxy,
// nothing left behind.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessDriver } from '../../scripts/orchestrators/in-process.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { NativeStack } from '../../scripts/stack/native-stack.ts';

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe('native stack', () => {
  let stack: NativeStack;
  let pids: number[] = [];
  let workDirs: string[] = [];

  beforeAll(async () => {
    stack = await NativeStack.start({ ports: 'free' });
    pids = stack.services().flatMap((service) => (service.pid ? [service.pid] : []));
    workDirs = stack.temporaryDirectories();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('runs Redis, nine instances and the proxy, all healthy behind it', async () => {
    const services = stack.services();
    expect(services.map((service) => service.id).sort()).toEqual([
      'jwt-1',
      'jwt-2',
      'jwt-3',
      'memory-1',
      'memory-2',
      'memory-3',
      'proxy',
      'redis',
      'redis-1',
      'redis-2',
      'redis-3',
    ]);
    expect(services.every((service) => service.state === 'running')).toBe(true);
    const targets = await stack.admin.targets();
    expect(targets.filter((target) => target.state === 'healthy')).toHaveLength(9);
  });

  it('loses the memory cart when its instance crashes, while the redis and jwt carts survive theirs', async () => {
    const driver = new InProcessDriver(stack);
    const shoppers = Object.fromEntries(
      (['memory', 'redis', 'jwt'] as const).map((pool) => [pool, new ShopClient(stack.shopUrl(pool))]),
    );
    const servedBy: Record<string, string> = {};
    for (const [pool, shopper] of Object.entries(shoppers)) {
      await shopper.add('teapot', 1);
      const answer = await shopper.add('honey', 2);
      expect(answer.status).toBe(200);
      servedBy[pool] = answer.servedBy ?? '';
    }

    for (const victim of Object.values(servedBy)) await driver.act('crash', victim);
    expect(stack.services().find((service) => service.id === servedBy.memory)?.state).toBe('crashed');

    const memory = await shoppers.memory!.getCart();
    expect(memory.status).toBe(200);
    expect(memory.servedBy).not.toBe(servedBy.memory);
    expect(memory.body.items).toEqual([]);
    for (const pool of ['redis', 'jwt']) {
      const cart = await shoppers[pool]!.getCart();
      expect(cart.servedBy).not.toBe(servedBy[pool]);
      expect(cart.body.items.map((line) => [line.sku, line.qty])).toEqual([
        ['teapot', 1],
        ['honey', 2],
      ]);
    }
  });

  it('pauses an instance (the kernel stops it, the proxy stops sending to it) and resumes it', async () => {
    const paused = await stack.act('pause', 'jwt-3');
    expect(paused.state).toBe('paused');
    expect(readFileSync(`/proc/${paused.pid}/stat`, 'utf8').split(') ')[1]?.[0]).toBe('T');
    await waitUntil(
      async () => (await stack.admin.targets()).find((target) => target.id === 'jwt-3')?.state === 'unhealthy',
      'the proxy to mark the hung instance unhealthy',
    );
    const resumed = await stack.act('resume', 'jwt-3');
    expect(resumed.state).toBe('running');
    await stack.admin.waitForHealthy(['jwt-3']);
  });

  it('restarts a redis instance while Redis is down without waiting for it; it serves once Redis is back', async () => {
    const shop = stack.services().find((service) => service.id.startsWith('redis-') && service.state === 'running');
    expect(shop).toBeDefined();
    const id = shop!.id;
    await stack.act('stop', 'redis');
    const restarted = await stack.act('restart', id);
    expect(restarted.state).toBe('running');
    const health = async () =>
      (await (await fetch(`http://127.0.0.1:${restarted.port}/healthz`)).json()) as { store: string };
    expect((await health()).store).toBe('unavailable');

    // Redis counts as started once every running redis shop, the restarted one included, reaches it again
    await stack.act('start', 'redis');
    expect((await health()).store).toBe('ok');
    const shopper = new ShopClient(restarted.url!);
    expect((await shopper.add('honey', 1)).status).toBe(200);
  });

  it('scales a pool out and in at run time, registered with the proxy', async () => {
    const added = await stack.scaleOut('jwt');
    expect(added.id).toBe('jwt-4');
    expect((await stack.admin.targets()).find((target) => target.id === 'jwt-4')?.state).toBe('healthy');
    const removed = await stack.scaleIn('jwt');
    expect(removed.id).toBe('jwt-4');
    expect((await stack.admin.targets()).some((target) => target.id === 'jwt-4')).toBe(false);
    pids.push(added.pid ?? 0);
  });

  it('ends every process and removes its temporary files on close', async () => {
    await stack.close();
    expect(pids.length).toBeGreaterThanOrEqual(12);
    expect(workDirs).toHaveLength(2);
    expect(pids.filter((pid) => !processGone(pid))).toEqual([]);
    expect(workDirs.filter((dir) => existsSync(dir))).toEqual([]);
  });
});
