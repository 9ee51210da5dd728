// The real lab the fuzz tests throw inputs at: Redis, two instances per shop and the proxy, one stickiness method per
// pool (lb-cookie, app-cookie, source-ip), and the checks every answer must pass whatever the input.
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { errorTable as appErrors } from '../../../apps/cart/errors.ts';
import { errorTable as proxyErrors } from '../../../proxy/errors.ts';
import { NativeStack } from '../../../scripts/stack/native-stack.ts';

/** The topology: pools named after their session mode, each with a different stickiness method. */
export const FUZZ_CONFIG = fileURLToPath(new URL('./fuzz-lab.yaml', import.meta.url));

/** The instances' JWT key, so that tests can sign tokens the shop accepts and forge ones it must not. */
export const JWT_SECRET = 'fuzz-lab-jwt-secret-0123456789abcdef';

/**
 * How many inputs a full-suite run throws in total (`FUZZ_RUNS` for a long campaign); each property takes its share.
 */
export const TOTAL_INPUTS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** `share` of the campaign, at least 1. */
export function runsFor(share: number): number {
  return Math.max(1, Math.round(TOTAL_INPUTS * share));
}

/** A test's time limit for `share` of the campaign: generous, since runs are counted and the machine may be busy. */
export function timeoutFor(share: number): number {
  return 60_000 + runsFor(share) * 40;
}

/** fast-check settings: `numRuns` inputs (counted, never timed), and the seed of `FUZZ_SEED` when one is replayed. */
export function fcParameters(numRuns: number): { numRuns: number; seed?: number; endOnFailure: true } {
  return { numRuns, endOnFailure: true, ...(process.env.FUZZ_SEED && { seed: Number(process.env.FUZZ_SEED) }) };
}

/** Starts the fuzz lab; the caller closes it. Lines the stack logs (crashes among them) are kept in `log`. */
export async function startFuzzLab(): Promise<{ stack: NativeStack; log: string[] }> {
  const log: string[] = [];
  const stack = await NativeStack.start({
    configPath: FUZZ_CONFIG,
    ports: 'free',
    redisPersistence: false,
    env: { JWT_SECRET },
    log: (line) => log.push(line),
  });
  return { stack, log };
}

/** Every process of the lab still runs, nothing exited on its own, and the proxy sees every instance healthy. */
export async function expectLabAlive(stack: NativeStack, log: readonly string[]): Promise<void> {
  expect(stack.services().filter((service) => service.state !== 'running')).toEqual([]);
  expect(log.filter((line) => /exited on its own|uncaught|fatal/i.test(line))).toEqual([]);
  const targets = await stack.admin.targets();
  expect(targets.filter((target) => target.state !== 'healthy')).toEqual([]);
}

/** Every stable error code of the shop and the proxy. */
export const KNOWN_CODES = new Set<string>([...Object.keys(appErrors), ...Object.keys(proxyErrors)]);

/**
 * The only 5xx the lab documents for a healthy lab's inputs: 503 when a store or every target is down (or shutting
 * down).
 */
const DOCUMENTED_503 = new Set([
  'session_store_unavailable',
  'session_store_unconfirmed',
  'no_healthy_target',
  'sticky_target_unavailable',
  'shutting_down',
]);

/** One answer as the checks see it. */
export interface SeenAnswer {
  status: number;
  contentType: string;
  body: string;
  method: string;
}

/**
 * Why this answer breaks the lab's contract, or undefined: a 5xx other than the documented 503s, or an error that is
 * not `{ error: { code, message } }` JSON with a stable code (HEAD answers have no body to check).
 */
export function contractBreach(answer: SeenAnswer): string | undefined {
  if (answer.status < 400) return undefined;
  if (answer.method === 'HEAD')
    return answer.status >= 500 && answer.status !== 503 ? `HEAD answered ${answer.status}` : undefined;
  if (!answer.contentType.includes('application/json'))
    return `${answer.status} with content type "${answer.contentType}": ${answer.body.slice(0, 200)}`;
  let code: unknown;
  try {
    const parsed = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.message !== 'string')
      return `${answer.status} without error.message: ${answer.body.slice(0, 200)}`;
    code = parsed.error.code;
  } catch {
    return `${answer.status} whose body is not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (typeof code !== 'string' || !KNOWN_CODES.has(code)) return `${answer.status} with unknown code ${String(code)}`;
  if (answer.status >= 500 && !(answer.status === 503 && DOCUMENTED_503.has(code))) return `${answer.status} ${code}`;
  return undefined;
}

/** Runs `lane(index, runs)` on `lanes` concurrent lanes sharing `runs` between them, so a 2-core machine keeps busy. */
export async function inLanes(
  lanes: number,
  runs: number,
  lane: (index: number, runs: number) => Promise<void>,
): Promise<void> {
  await Promise.all(Array.from({ length: lanes }, (_, index) => lane(index, Math.ceil(runs / lanes))));
}
