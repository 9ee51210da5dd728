// The console on a replicated Redis, in Chromium: the Redis node says which topology runs and marks the primary, and
// its crash button kills whichever server is primary, after which it marks the promoted one.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeStack } from '../../scripts/stack/native-stack.ts';
import { type RunningSupervisor, startSupervisor } from '../../scripts/stack/supervisor-api.ts';
import { startChromium, type TestBrowser } from './browser.ts';

describe('the console on a replicated Redis', () => {
  let stack: NativeStack | undefined;
  let supervisor: RunningSupervisor | undefined;
  let browser: TestBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    supervisor = await startSupervisor(() => stack);
    stack = await NativeStack.start({
      ports: 'free',
      pools: ['redis'],
      redisReplication: {},
      lab: { orchestrator: 'native', supervisorUrl: supervisor.url, supervisorSecret: supervisor.secret },
    });
    browser = await startChromium();
    page = await browser.context.newPage();
    await page.goto(`${stack.proxy.controlUrl}/console/`);
    await page.locator('#connection[data-connection="live"]').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    supervisor?.close();
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
