// `npm run pool -- POOL [--stickiness …] [--algorithm …]`: read or change a pool of the running lab, as PATCH
// /api/pools/:pool does.
import type { PoolView } from '../contract/wire.ts';
import { LabError } from '../lab/errors.ts';
import { readCommandLine, usageError } from './cli/command-line.ts';
import { DEFAULT_CONTROL_URL } from './lab-client/discover.ts';
import { ProxyAdmin } from './lab-client/proxy-admin.ts';

const usage = [
  'usage: npm run pool -- POOL [--stickiness TYPE] [--duration D] [--hash modulo|consistent] [--cookie-name NAME]',
  '                            [--algorithm A] [--failover re-stick|strict] [--weight ID=N]... [--control URL]',
  '  without settings: show the pool; TYPE is none, lb-cookie, app-cookie or source-ip',
  '  A is round-robin, least-outstanding, random or weighted-round-robin; D like 30s, 1h, 1d',
].join('\n');

function describe(pool: PoolView): string {
  const { type, ...options } = pool.stickiness;
  const shown = Object.entries(options)
    .filter(([key]) => key === 'duration' || key === 'hash' || key === 'cookieName')
    .map(([key, value]) => `${key} ${String(value)}`);
  const targets = pool.targets.map(
    (target) =>
      `${target.id} ${target.state}${target.weight !== 1 ? ` weight ${target.weight}` : ''}` +
      (target.boundSessions ? ` (${target.boundSessions} sessions)` : ''),
  );
  const settings = `${pool.algorithm}, stickiness ${type}${shown.length ? ` (${shown.join(', ')})` : ''}`;
  return `${pool.name}: ${settings}, failover ${pool.failover}\n  ${targets.join('\n  ')}`;
}

async function main(): Promise<number> {
  const line = readCommandLine('pool', usage, {
    stickiness: { type: 'string' },
    duration: { type: 'string' },
    hash: { type: 'string' },
    'cookie-name': { type: 'string' },
    algorithm: { type: 'string' },
    failover: { type: 'string' },
    weight: { type: 'string', multiple: true },
    control: { type: 'string' },
  });
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  const [pool, ...extra] = positionals;
  if (!pool || extra.length > 0) return usageError('pool', 'expected one POOL', usage);
  const patch: Record<string, unknown> = {};
  if (values.stickiness) {
    const stickiness: Record<string, unknown> = { type: values.stickiness };
    if (values.duration) stickiness.duration = values.duration;
    if (values.hash) stickiness.hash = values.hash;
    if (values['cookie-name']) stickiness.cookieName = values['cookie-name'];
    patch.stickiness = stickiness;
  } else if (values.duration || values.hash || values['cookie-name']) {
    process.stderr.write('pool: --duration, --hash and --cookie-name go with --stickiness\n');
    return 2;
  }
  if (values.algorithm) patch.algorithm = values.algorithm;
  if (values.failover) patch.failover = values.failover;
  if (values.weight) {
    const weights: Record<string, number> = {};
    for (const pair of values.weight) {
      const [id, weight] = pair.split('=');
      if (!id || weight === undefined || !/^\d+$/.test(weight)) {
        process.stderr.write(`pool: --weight takes ID=N, got "${pair}"\n`);
        return 2;
      }
      weights[id] = Number(weight);
    }
    patch.weights = weights;
  }
  const admin = new ProxyAdmin(values.control ?? DEFAULT_CONTROL_URL);
  try {
    if (Object.keys(patch).length > 0) await admin.patchPool(pool, patch);
    process.stdout.write(`${describe(await admin.call<PoolView>('GET', `/api/pools/${encodeURIComponent(pool)}`))}\n`);
    return 0;
  } catch (error) {
    const details =
      error instanceof LabError
        ? (error.details as { error?: { details?: string[] } } | undefined)?.error?.details
        : undefined;
    process.stderr.write(`pool: ${(error as Error).message}${details ? `\n  ${details.join('\n  ')}` : ''}\n`);
    return 1;
  }
}

process.exitCode = await main();
