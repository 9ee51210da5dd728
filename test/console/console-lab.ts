// A lab stack with its console open in Chromium, the way every console test starts: the supervisor where the console
// may act on processes, the stack, and a page showing the live console.
import type { Page } from 'playwright-core';
import { NativeStack, type NativeStackOptions } from '../../scripts/stack/native-stack.ts';
import { type RunningSupervisor, startSupervisor } from '../../scripts/stack/supervisor-api.ts';
import { startChromium, type TestBrowser } from './browser.ts';

/** A running stack and its console; `close` ends the browser, the stack and the supervisor. */
export interface ConsoleLab {
  stack: NativeStack;
  page: Page;
  close(): Promise<void>;
}

/**
 * Starts a stack on free ports (`native`: with a supervisor that carries out the console's process faults; `compose`:
 * a proxy that says Docker Compose runs it) and opens its console once the live connection is up. Whatever started is
 * ended again when a later step fails.
 */
export async function openConsoleLab(
  orchestrator: 'native' | 'compose',
  options: Omit<NativeStackOptions, 'ports' | 'lab'> = {},
): Promise<ConsoleLab> {
  let stack: NativeStack | undefined;
  let supervisor: RunningSupervisor | undefined;
  let browser: TestBrowser | undefined;
  const close = async () => {
    await browser?.close();
    await stack?.close();
    supervisor?.close();
  };
  try {
    if (orchestrator === 'native') supervisor = await startSupervisor(() => stack);
    stack = await NativeStack.start({
      ...options,
      ports: 'free',
      lab: supervisor
        ? { orchestrator, supervisorUrl: supervisor.url, supervisorSecret: supervisor.secret }
        : { orchestrator },
    });
    browser = await startChromium();
    const page = await browser.context.newPage();
    await page.goto(`${stack.proxy.controlUrl}/console/`);
    await page.locator('#connection[data-connection="live"]').waitFor();
    return { stack, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
