// The console in Debian's Chromium against a real native stack: the crash story, other faults, pool settings and a
// scenario.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import type { NativeStack } from '../../scripts/stack/native-stack.ts';
import { type ConsoleLab, openConsoleLab } from './console-lab.ts';

/** Where the test leaves its screenshot (docs/console.png is a copy of one). */
const SCREENSHOT = join(projectRoot, 'test-results', 'console.png');
const shops = ['memory', 'redis', 'jwt'] as const;

describe('the lab console in Chromium', () => {
  let lab: ConsoleLab | undefined;
  let stack: NativeStack | undefined;
  let page: Page;

  const panel = (shop: string) => page.locator(`[data-shop="${shop}"]`);
  const answers = async (shop: string) => Number(await panel(shop).getAttribute('data-answers'));
  const card = (id: string) => page.locator(`li[data-instance="${id}"]`);
  const notice = (text: string) => page.locator('#notice', { hasText: text });
  /** Mode, stickiness and verdict of each row of the console's verdict table. */
  const shownVerdicts = async () =>
    Promise.all(
      (await page.locator('.verdict-table tbody tr').all()).map(async (row) =>
        (await row.locator('td').allTextContents()).slice(1, 4).join(' '),
      ),
    );
  /**
   * The same, from the supervisor's record of the last run (the scenario decides the verdicts; the console shows them).
   */
  const verdictsOfLastRun = async (name: string, lab: 'own' | 'this') => {
    const { run } = (await (await fetch(`${stack?.proxy.controlUrl}/api/console/scenarios/run`)).json()) as {
      run: { name: string; lab: string; rows: { mode: string; stickiness: string; verdict: string }[] };
    };
    expect([run.name, run.lab]).toEqual([name, lab]);
    expect(run.rows.length).toBeGreaterThan(0);
    const look: Record<string, string> = { kept: '✔ kept', lost: '✖ lost', failed: '⚠ failed' };
    return run.rows.map((row) => `${row.mode} ${row.stickiness} ${look[row.verdict]}`);
  };

  beforeAll(async () => {
    lab = await openConsoleLab('native');
    ({ stack, page } = lab);
  }, 60_000);

  afterAll(async () => {
    await lab?.close();
  });

  it(
    'crash: the memory cart vanishes with its instance, the ' + 'redis and jwt carts stay, the topology shows it down',
    async () => {
      for (const shop of shops) {
        await panel(shop).locator('.cart-summary[data-count="0"]').waitFor();
        await page.getByRole('button', { name: `add to the ${shop} cart`, exact: true }).click();
        await panel(shop).locator('.cart-summary[data-count="1"]').waitFor();
      }
      const victim = (await panel('memory').locator('.served-by').textContent()) ?? '';
      expect(victim).toMatch(/^memory-\d$/);
      const before = { redis: await answers('redis'), jwt: await answers('jwt') };

      await page.getByRole('button', { name: `crash ${victim}`, exact: true }).click();
      await notice(`${victim} crashed (SIGKILL)`).waitFor();

      await panel('memory').locator('.cart-summary[data-count="0"]').waitFor();
      const nowServing = await panel('memory').locator('.served-by').textContent();
      expect(nowServing).toMatch(/^memory-\d$/);
      expect(nowServing).not.toBe(victim);
      expect(await panel('memory').locator('.reason').textContent()).toContain('down');
      expect(await panel('memory').locator('.cart-lines').textContent()).toContain('The cart is empty.');

      await waitUntil(
        async () => (await answers('redis')) > before.redis && (await answers('jwt')) > before.jwt,
        'the redis and jwt panels to look again after the crash',
      );
      for (const shop of ['redis', 'jwt']) {
        expect(await panel(shop).locator('.cart-summary').getAttribute('data-count'), shop).toBe('1');
      }

      await card(victim).and(page.locator('[data-state="down"]')).waitFor();
      expect(await card(victim).locator('.state-text').textContent()).toBe('down');
      expect(await card(victim).locator('.process').textContent()).toContain('process crashed');

      mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
      const shopsBox = await page.locator('.shops-section').boundingBox();
      await page.screenshot({
        path: SCREENSHOT,
        fullPage: true,
        clip: { x: 0, y: 0, width: 1600, height: Math.ceil((shopsBox?.y ?? 0) + (shopsBox?.height ?? 1000) + 12) },
      });

      await page.getByRole('button', { name: `start ${victim}`, exact: true }).click();
      await notice(`${victim} started`).waitFor();
      await card(victim).and(page.locator('[data-state="healthy"]')).waitFor();
    },
  );

  it(
    'drains and undrains an instance through the proxy, ' + 'and pauses and resumes one through the supervisor',
    async () => {
      await page.getByRole('button', { name: 'drain jwt-2', exact: true }).click();
      await card('jwt-2').and(page.locator('[data-state="draining"]')).waitFor();
      await notice('jwt-2 is draining').waitFor();
      await page.getByRole('button', { name: 'undrain jwt-2', exact: true }).click();
      await card('jwt-2').and(page.locator('[data-state="healthy"]')).waitFor();

      await page.getByRole('button', { name: 'pause redis-3', exact: true }).click();
      await card('redis-3').and(page.locator('[data-state="paused"]')).waitFor();
      expect(await card('redis-3').locator('.state-text').textContent()).toBe('paused');
      await page.getByRole('button', { name: 'resume redis-3', exact: true }).click();
      await card('redis-3').locator('.process', { hasText: 'process running' }).waitFor();
    },
  );

  it('shows how each pool writes cart changes', async () => {
    for (const [pool, writes] of [
      ['memory', 'atomic'],
      ['redis', 'atomic'],
      ['jwt', 'token'],
    ]) {
      await page.locator(`.pool[data-pool="${pool}"] .pool-line`, { hasText: `cart writes: ${writes}` }).waitFor();
    }
  });

  it('scales a pool out and back in', async () => {
    await page.getByRole('button', { name: 'scale out jwt', exact: true }).click();
    await card('jwt-4').and(page.locator('[data-state="healthy"]')).waitFor();
    await page.getByRole('button', { name: 'scale in jwt', exact: true }).click();
    await notice('jwt-4 removed from pool jwt').waitFor();
    await card('jwt-4').waitFor({ state: 'detached' });
  });

  it('changes a pool setting with the admin API checks, and shows what a refused change got wrong', async () => {
    const memory = page.locator('form[data-pool="memory"]');
    await memory.getByLabel('Duration').fill('9d');
    await memory.getByRole('button', { name: 'apply to memory' }).click();
    await memory.locator('.result[data-kind="failed"]', { hasText: 'stickiness.duration' }).waitFor();

    const jwt = page.locator('form[data-pool="jwt"]');
    await jwt.getByLabel('Algorithm').selectOption('least-outstanding');
    await jwt.getByRole('button', { name: 'apply to jwt' }).click();
    await jwt.locator('.result[data-kind="done"]', { hasText: 'algorithm=least-outstanding' }).waitFor();
    await page.locator('[data-pool="jwt"] .pool-line', { hasText: 'algorithm: least-outstanding' }).waitFor();
    const pools = (await stack?.admin.pools()) as { name: string; algorithm: string }[];
    expect(pools.find((pool) => pool.name === 'jwt')?.algorithm).toBe('least-outstanding');
  });

  it('runs a scenario that needs a stack of its own there, and shows its verdict table', async () => {
    await page.getByLabel('Scenario', { exact: true }).selectOption('nat-skew');
    expect(await page.getByRole('radio', { name: /on this lab/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Run scenario' }).click();
    await page.locator('.scenario-status[data-state="done"]').waitFor({ timeout: 45_000 });
    expect(await shownVerdicts()).toEqual(await verdictsOfLastRun('nat-skew', 'own'));
  }, 60_000);

  it('runs a scenario on this lab, so its shoppers show up in the routing decisions', async () => {
    await page.getByLabel('Scenario', { exact: true }).selectOption('baseline');
    await page.getByRole('radio', { name: /on this lab/ }).check();
    await page.getByRole('button', { name: 'Run scenario' }).click();
    await page.locator('.scenario-status[data-state="running"]', { hasText: 'on this lab' }).waitFor();
    await page.locator('.scenario-status[data-state="done"]').waitFor({ timeout: 45_000 });
    expect(await shownVerdicts()).toEqual(await verdictsOfLastRun('baseline', 'this'));
    const memoryReasons = (await page.locator('.reason-counts p', { hasText: 'memory:' }).textContent()) ?? '';
    expect(Number(/(\d+) sticky hit/.exec(memoryReasons)?.[1])).toBeGreaterThan(12);
  }, 60_000);
});
