// `npm run fault -- slow|stall|heal redis` against a running `npm run demo`: the redis shop answers late, then refuses
// with a fast 503, and serves the same cart again once the toxic is lifted.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioRow } from '../../scripts/scenarios/definition.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import { type RunningDemo, runFault, runScenario, startDemo } from '../helpers/demo.ts';

/** One add to the cart: its status, error code and how long the answer took. */
async function timedAdd(shop: ShopClient, sku: string): Promise<{ status: number; code?: string; ms: number }> {
  const started = performance.now();
  const answer = await shop.add(sku, 1);
  const code = (answer.body as { error?: { code?: string } }).error?.code;
  return { status: answer.status, ms: performance.now() - started, ...(code && { code }) };
}

describe('slow-Redis faults on the running demo', () => {
  let demo: RunningDemo | undefined;
  let controlUrl: string;
  let redis: ShopClient;

  beforeAll(async () => {
    demo = await startDemo();
    controlUrl = demo.controlUrl as string;
    redis = new ShopClient(demo.shopUrl('redis') as string);
    expect(demo.output).toMatch(/redis\s+single \(port \d+\), through the lab relay/);
  }, 60_000);
  afterAll(async () => {
    // heal first, whatever the test did, so that the shops stop on a Redis that answers
    if (demo) await runFault('heal', 'redis', '--control', controlUrl);
    await demo?.child.stop();
  });

  it('slows every answer under the shops\u2019 timeout, refuses over it and under a stall, and heals', async () => {
    expect((await timedAdd(redis, 'kettle')).status).toBe(200);

    const late = await runFault('slow', 'redis', '--ms', '150', '--control', controlUrl);
    expect(late.code, late.output).toBe(0);
    expect(late.output).toContain(
      'redis slowed (latency toxic): every Redis answer reaches the redis shops 150 ms late',
    );
    const slowAdd = await timedAdd(redis, 'mug');
    expect(slowAdd.status).toBe(200);
    // an add is at least two Redis round trips (the session, then the cart's script)
    expect(slowAdd.ms).toBeGreaterThanOrEqual(290);

    const tooLate = await runFault('slow', 'redis', '--control', controlUrl);
    expect(tooLate.output).toContain('800 ms late');
    const refused = await timedAdd(redis, 'teapot');
    expect(refused).toMatchObject({ status: 503, code: 'session_store_unavailable' });
    expect(refused.ms).toBeLessThan(2_000);

    const stalled = await runFault('stall', 'redis', '--control', controlUrl);
    expect(stalled.code, stalled.output).toBe(0);
    expect(stalled.output).toContain('toxic on the relay: stall');
    const held = await timedAdd(redis, 'teapot');
    expect(held).toMatchObject({ status: 503, code: 'session_store_unavailable' });
    expect(held.ms).toBeLessThan(2_000);

    const healed = await runFault('heal', 'redis', '--control', controlUrl);
    expect(healed.code, healed.output).toBe(0);
    expect(healed.output).toContain('toxic on the relay: none');
    const back = await redis.getCart();
    expect(back.status).toBe(200);
    const lines = new Map(back.body.items.map((item) => [item.sku, item.qty]));
    // what was acknowledged is there; a refused add may have landed all the same, never more than once each
    expect(lines.get('kettle')).toBe(1);
    expect(lines.get('mug')).toBe(1);
    expect(lines.get('teapot') ?? 0).toBeLessThanOrEqual(2);
    expect((await timedAdd(redis, 'kettle')).ms).toBeLessThan(1_000);
  }, 60_000);

  it('runs the redis-slow scenario on this lab, through the same relay', async () => {
    const json = join(tmpdir(), `slow-redis-fault-${process.pid}.json`);
    try {
      const result = await runScenario('redis-slow', '--control', controlUrl, '--json', json);
      expect(result.code, result.output).toBe(0);
      const rows = (JSON.parse(readFileSync(json, 'utf8')) as { scenarios: ScenarioRow[] }).scenarios;
      expect(rows.map((row) => row.verdict)).toEqual(['kept', 'kept', 'kept', 'kept']);
      expect(rows[0]?.requests.failed, rows[0]?.notes).toBe(0);
      for (const row of rows.slice(2)) expect(row.requests.failed, row.notes).toBe(row.requests.total);
    } finally {
      rmSync(json, { force: true });
    }
  }, 60_000);

  it('refuses them on a target other than redis', async () => {
    const wrong = await runFault('slow', 'memory-1', '--control', controlUrl);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain('this fault acts on "redis", not on "memory-1"');
  }, 30_000);
});
