// Readiness waits used by tests and the stack supervisor instead of fixed sleeps.
import { LabError } from '../../lab/errors.ts';

/** Polls `check` until it resolves true, or rejects with `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  { timeoutMs = 10_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new LabError('timed_out', `timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves once `url` answers with a 2xx status. */
export function waitForHttp(url: string, timeoutMs = 10_000): Promise<void> {
  return waitUntil(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      return response.ok;
    },
    `${url} to answer 2xx`,
    { timeoutMs },
  );
}
