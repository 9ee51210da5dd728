// The console's Redis card on a lab whose single Redis sits behind the relay, in Chromium: its slow and stall buttons
// make the redis shop refuse with a fast 503, the card says which toxic is in force, and heal brings the shop back.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';
import type { NativeStack } from '../../scripts/stack/native-stack.ts';
import { type ConsoleLab, openConsoleLab } from './console-lab.ts';

describe('the console on a Redis behind the relay', () => {
  let lab: ConsoleLab | undefined;
  let stack: NativeStack | undefined;
  let page: Page;

  beforeAll(async () => {
    lab = await openConsoleLab('native', { pools: ['redis'], redisRelay: true });
    ({ stack, page } = lab);
  }, 60_000);

  afterAll(async () => {
    await lab?.close();
  });

  it('slows and stalls Redis from its card, and heals it', async () => {
    const running = stack as NativeStack;
    const shop = new ShopClient(running.shopUrl('redis'));
    expect((await shop.add('kettle', 1)).status).toBe(200);
    const redis = page.locator('div[data-instance="redis"]');
    await redis.locator('.process', { hasText: 'single · process running' }).waitFor();

    await page.getByRole('button', { name: 'slow redis', exact: true }).click();
    await redis.locator('.process', { hasText: 'relay: latency 800 ms' }).waitFor({ timeout: 10_000 });
    expect(running.relay?.toxics()).toEqual({ latency: { ms: 800, jitterMs: 0 } });
    const slowed = await shop.add('mug', 1);
    expect(slowed.status).toBe(503);

    await page.getByRole('button', { name: 'heal redis', exact: true }).click();
    await redis.locator('.process', { hasText: /process running$/ }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'stall redis', exact: true }).click();
    await redis.locator('.process', { hasText: 'relay: stall' }).waitFor({ timeout: 10_000 });
    expect((await shop.getCart()).status).toBe(503);

    await page.getByRole('button', { name: 'heal redis', exact: true }).click();
    await redis.locator('.process', { hasText: /process running$/ }).waitFor({ timeout: 10_000 });
    expect(running.relay?.toxics()).toEqual({});
    const back = await shop.getCart();
    expect(back.status).toBe(200);
    expect(back.body.items.find((item) => item.sku === 'kettle')?.qty).toBe(1);
  }, 60_000);
});
