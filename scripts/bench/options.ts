// The bench's command line: `npm run bench -- [--quick] [--json FILE] [--rounds N] [--seconds N] …`.
import { parseArgs } from 'node:util';
import type { BackendKind } from './backends.ts';
import type { ContenderName } from './contender.ts';
import { contenderNames, floors } from './contenders/registry.ts';
import { MAX_LINES } from './designs/carts.ts';
import type { DesignsPlan } from './designs/measure.ts';

/** Everything a bench run is told. */
export interface BenchOptions {
  quick: boolean;
  json: string | undefined;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Throughput sections, in order; failover and memory use the first. */
  backends: BackendKind[];
  only: ContenderName[];
  failoverSeconds: number;
  memoryRequests: number;
  /** Skip the failover and memory phases (throughput only). */
  throughputOnly: boolean;
  cpuProfileDir: string | undefined;
  /** A bundle of `proxy/main.ts` to run as `baseline-sticky` beside the working tree's proxy. */
  baseline: string | undefined;
  /** `--designs`: measure the shop's session designs instead of the proxies. */
  designs: DesignsPlan | undefined;
  /** `--instructions`: count the proxies' instructions per request under callgrind instead of timing them. */
  instructions: { warmupRequests: number; requests: number; rounds: number; idleSeconds: number } | undefined;
  /**
   * Run the soak instead of the comparison: `soakRequests` sticky requests, a backend killed every `killEverySeconds`.
   */
  soak: boolean;
  soakRequests: number;
  killEverySeconds: number;
}

/** The usage line printed by `--help` and with every command-line error. */
export const USAGE = [
  'usage: npm run bench -- [--quick] [--json FILE] [--rounds N] [--seconds N] [--connections N]',
  `       [--backend shop|echo|both] [--only ${contenderNames.join(',')}] [--floors] [--throughput-only]`,
  '       [--failover-seconds N] [--memory-requests N] [--cpu-prof DIR] [--baseline BUNDLE.mjs]',
  '       [--soak [--soak-requests N] [--kill-every SECONDS]]',
  '       npm run bench -- --designs [--quick] [--json FILE] [--rounds N] [--seconds N] [--connections N]',
  '       npm run bench -- --instructions [--quick] [--json FILE] [--rounds N] [--requests N] [--warmup N]',
  '       [--backend shop|echo|both] [--only …] [--baseline BUNDLE.mjs]',
  '  --quick   one short round, shop backends, a 10,000-request memory run: under a minute',
  '  --soak    only the soak: 1,000,000 sticky requests (20,000 with --quick), early hang-ups, ' +
    'a backend killed every 3 s',
  '  --designs what each session design costs per request: one shop instance per design and cart-write setting,',
  `            reads and writes at carts of 1, 10 and ${MAX_LINES} lines, with and without notes ` +
    '(--quick: 1 and 10, no notes)',
  `  --floors  also measure ${floors.map((floor) => floor.name).join(', ')}: our proxy with the other ` +
    'stickiness kinds,',
  '            and the least Node and http-proxy-3 spend passing requests through',
].join('\n');

/** A command-line mistake; the message says what was wrong. */
export class UsageError extends Error {}

/** The command line's options, as node:util's parseArgs takes them. */
const OPTIONS = {
  quick: { type: 'boolean' },
  json: { type: 'string' },
  rounds: { type: 'string' },
  seconds: { type: 'string' },
  connections: { type: 'string' },
  backend: { type: 'string' },
  only: { type: 'string' },
  'throughput-only': { type: 'boolean' },
  floors: { type: 'boolean' },
  'failover-seconds': { type: 'string' },
  'memory-requests': { type: 'string' },
  'cpu-prof': { type: 'string' },
  baseline: { type: 'string' },
  designs: { type: 'boolean' },
  instructions: { type: 'boolean' },
  requests: { type: 'string' },
  warmup: { type: 'string' },
  soak: { type: 'boolean' },
  'soak-requests': { type: 'string' },
  'kill-every': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Parses `args` (without node and the script); throws UsageError on a mistake. */
export function parseBenchOptions(args: readonly string[]): BenchOptions | 'help' {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const instructions = values.instructions ?? false;
  const backend = values.backend ?? (instructions ? 'echo' : quick ? 'shop' : 'both');
  if (backend !== 'shop' && backend !== 'echo' && backend !== 'both')
    throw new UsageError(`--backend must be shop, echo or both, got "${backend}"`);
  const floorNames = floors.map((floor) => floor.name);
  const known: readonly string[] = [
    ...contenderNames,
    ...floorNames,
    ...(values.baseline === undefined ? [] : ['baseline-sticky']),
  ];
  const byDefault = instructions
    ? known.filter((name) => runsOnNode(name) && name !== 'floor-node-http')
    : known.filter((name) => values.floors === true || !floorNames.includes(name as ContenderName));
  const only = values.only === undefined ? byDefault : values.only.split(',').map((name) => name.trim());
  for (const name of only) if (!known.includes(name)) throw new UsageError(`--only: unknown contender "${name}"`);
  if (instructions)
    for (const name of only)
      if (!runsOnNode(name))
        throw new UsageError(`--instructions counts the Node proxies only (ours and the floors), not "${name}"`);
  return {
    quick,
    json: values.json,
    rounds: count(values.rounds, '--rounds', quick ? 1 : 3),
    seconds: count(values.seconds, '--seconds', quick ? 2 : 10),
    warmupSeconds: quick ? 1 : 3,
    connections: count(values.connections, '--connections', instructions ? 1 : 20),
    backends: backend === 'both' ? ['shop', 'echo'] : [backend],
    only: only as ContenderName[],
    failoverSeconds: count(values['failover-seconds'], '--failover-seconds', quick ? 3 : 6),
    memoryRequests: count(values['memory-requests'], '--memory-requests', quick ? 10_000 : 100_000),
    throughputOnly: values['throughput-only'] ?? false,
    cpuProfileDir: values['cpu-prof'],
    baseline: values.baseline,
    designs: values.designs
      ? {
          rounds: count(values.rounds, '--rounds', quick ? 1 : 3),
          seconds: count(values.seconds, '--seconds', quick ? 1 : 3),
          warmupSeconds: quick ? 1 : 3,
          connections: count(values.connections, '--connections', 10),
          sizes: quick ? [1, 10] : [1, 10, MAX_LINES],
          notes: quick ? [false] : [false, true],
        }
      : undefined,
    instructions: instructions
      ? {
          warmupRequests: count(values.warmup, '--warmup', quick ? 300 : 3_000),
          requests: count(values.requests, '--requests', quick ? 300 : 3_000),
          rounds: count(values.rounds, '--rounds', 1),
          idleSeconds: quick ? 1 : 5,
        }
      : undefined,
    soak: values.soak ?? false,
    soakRequests: count(values['soak-requests'], '--soak-requests', quick ? 20_000 : 1_000_000),
    killEverySeconds: count(values['kill-every'], '--kill-every', quick ? 1 : 3),
  };
}

/** The contenders that are one Node process the bench starts itself, so callgrind can run them. */
function runsOnNode(name: string): boolean {
  return name.startsWith('proxy-') || name.startsWith('floor-') || name === 'baseline-sticky';
}

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new UsageError(`${name} must be a whole number above 0, got "${value}"`);
  return parsed;
}
