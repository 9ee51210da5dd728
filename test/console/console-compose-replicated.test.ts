// The console of a replicated Redis where it cannot watch processes (Docker Compose): the lab proxy asks the Sentinels
// who is primary, the page marks it, and after a failover the promoted one; the crash button shows the fault CLI's
// command, which resolves the primary when it runs.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisReplication } from '../../scripts/process/redis-replication.ts';
import { type ConsoleLab, openConsoleLab } from './console-lab.ts';

describe('the console on a replicated Redis under Docker Compose', () => {
  let lab: ConsoleLab | undefined;
  let page: Page;

  beforeAll(async () => {
    lab = await openConsoleLab('compose', { pools: ['redis'], redisReplication: {} });
    ({ page } = lab);
  }, 60_000);

  afterAll(async () => {
    await lab?.close();
  });

  it('marks the primary the Sentinels name, and the promoted replica after the primary dies', async () => {
    const replication = lab?.stack.replication as RedisReplication;
    const [first, second] = replication.servers.map((server) => `127.0.0.1:${server.port}`);
    const redis = page.locator('div[data-instance="redis"]');
    await redis.locator('.process', { hasText: `replicated · primary ${first} · 3 of 3 Sentinels running` }).waitFor();
    expect(await redis.locator('[data-role="replica"] dt').allTextContents()).toEqual([second]);

    await page.getByRole('button', { name: 'crash redis-primary', exact: true }).click();
    const notice = page.locator('#notice[data-kind="manual"]');
    await notice.waitFor();
    expect(await notice.locator('code').allTextContents()).toEqual(['npm run fault -- crash redis-primary --compose']);

    // what that command does under Compose, done here to the stack's own primary
    await (await replication.primary()).kill();
    await redis.locator('.process', { hasText: `primary ${second}` }).waitFor({ timeout: 30_000 });
    expect(await redis.locator('[data-role="replica"] dt').allTextContents()).toEqual([first]);
    expect(await redis.locator('[data-role="replica"] dd').allTextContents()).toEqual(['replica · unavailable']);
  }, 60_000);
});
