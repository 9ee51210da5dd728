// The console where it cannot act on processes: a real stack whose proxy says Docker Compose runs it, so the fault and
// scenario buttons show the exact commands to run on the host instead, while drain still acts through the proxy.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleLab, openConsoleLab } from './console-lab.ts';

describe('the lab console under Docker Compose', () => {
  let lab: ConsoleLab | undefined;
  let page: Page;

  beforeAll(async () => {
    lab = await openConsoleLab('compose', { pools: ['memory'] });
    ({ page } = lab);
  }, 60_000);

  afterAll(async () => {
    await lab?.close();
  });

  it('shows the commands for a process fault instead of acting, and still drains through the proxy', async () => {
    expect(await page.locator('#lab-info').textContent()).toContain('Docker Compose');
    expect(await page.locator('li[data-instance="memory-2"] .process').textContent()).toBe('process: not watched here');

    await page.getByRole('button', { name: 'crash memory-2', exact: true }).click();
    const notice = page.locator('#notice[data-kind="manual"]');
    await notice.waitFor();
    expect(await notice.locator('code').allTextContents()).toEqual([
      'npm run fault -- crash memory-2 --compose',
      'docker compose kill -s SIGKILL memory-2',
    ]);
    expect(await page.locator('li[data-instance="memory-2"]').getAttribute('data-state')).toBe('healthy');

    await page.getByRole('button', { name: 'drain memory-2', exact: true }).click();
    await page.locator('li[data-instance="memory-2"][data-state="draining"]').waitFor();
  });

  it('points to the terminal for scenarios', async () => {
    await page.locator('#scenarios code', { hasText: 'npm run scenario -- instance-crash --compose' }).waitFor();
  });
});
