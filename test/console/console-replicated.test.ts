// The console on a replicated Redis, in Chromium: the Redis node says which topology runs and marks the primary, and
// its crash button kills whichever server is primary, after which it marks the promoted one.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleLab, openConsoleLab } from './console-lab.ts';

describe('the console on a replicated Redis', () => {
  let lab: ConsoleLab | undefined;
  let page: Page;

  beforeAll(async () => {
    lab = await openConsoleLab('native', { pools: ['redis'], redisReplication: {} });
    ({ page } = lab);
  }, 60_000);

  afterAll(async () => {
    await lab?.close();
  });

  it('marks the primary, and the promoted replica after crash redis-primary', async () => {
    const redis = page.locator('div[data-instance="redis"]');
    await redis
      .locator('.process', { hasText: 'replicated · primary redis-node-1 · 3 of 3 Sentinels running' })
      .waitFor();
    expect(await redis.locator('[data-role="primary"] dt').allTextContents()).toEqual(['redis-node-1']);
    expect(await redis.locator('[data-role="replica"] dt').allTextContents()).toEqual(['redis-node-2']);

    await page.getByRole('button', { name: 'crash redis-primary', exact: true }).click();
    await redis.locator('.process', { hasText: 'primary redis-node-2' }).waitFor({ timeout: 30_000 });
    expect(await redis.locator('[data-role="primary"] dt').allTextContents()).toEqual(['redis-node-2']);
    expect(await redis.locator('[data-role="replica"] dd').allTextContents()).toEqual(['replica · crashed']);
  }, 60_000);
});
