// `--instructions`: the instructions each proxy runs per request, counted by callgrind. On a shared VM whose speed
// moves by 2x within minutes, time per request cannot tell a 3 % change from the noise; an instruction count can.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackendKind, startBackends } from './backends.ts';
import { findBinary } from './binaries.ts';
import type { Contender, ContenderName, RunningContender } from './contender.ts';
import { runLoad } from './load.ts';
import { launchMode } from './node-launch.ts';
import { median } from './throughput.ts';

/** What an instruction count run is told. */
export interface InstructionsPlan {
  backends: BackendKind[];
  contenders: readonly Contender[];
  /** Requests before counting starts, so V8 has compiled the hot path as it does under real load. */
  warmupRequests: number;
  /** Requests counted. */
  requests: number;
  /**
   * Fresh processes counted per contender, interleaved; rows give the median. V8 tiers each process its own way, so
   * one count is good to about ±3 %.
   */
  rounds: number;
  /** One by default: with more, how many requests share an event-loop turn depends on the machine's speed. */
  connections: number;
  /** How long the idle count lasts: timers (health checks, the event stream's flush) run with or without requests. */
  idleSeconds: number;
}

/** One contender's count on one kind of backend: the median over its rounds. */
export interface InstructionRow {
  name: ContenderName;
  /**
   * Instructions the proxy's main thread ran per request (JavaScript, Node, libuv, the HTTP parser), less what it runs
   * idle in as long as the requests took.
   */
  instructionsPerRequest: number;
  /** `instructionsPerRequest` of each round, in the order they ran. */
  perRound: number[];
  /**
   * The same for every thread: V8 compiles and marks on helper threads, which idle once the process is warm, but
   * callgrind's slowness leaves no time for that within the warm-up.
   */
  allThreadsPerRequest: number;
  /** Instructions per second of the main thread while no request came. */
  idlePerSecond: number;
  /** The same as a multiple of `floor-http-proxy-3`'s, when it was counted. */
  vsFloor: number | null;
  /** `allThreadsPerRequest` as a multiple of the floor's. */
  allThreadsVsFloor: number | null;
  requests: number;
}

/** Everything `--instructions --json FILE` writes. */
export interface InstructionsReport {
  instructions: { backend: BackendKind; rows: InstructionRow[] }[];
  settings: Omit<InstructionsPlan, 'contenders'> & { contenders: ContenderName[] };
  machine: { node: string; valgrind: string | null };
}

/** Why instructions cannot be counted here, or undefined. */
export function instructionsUnavailable(): string | undefined {
  if (findBinary('valgrind') === undefined) return 'valgrind is not installed (apt-get install valgrind)';
  if (findBinary('callgrind_control') === undefined) return 'callgrind_control is missing (it comes with valgrind)';
  return undefined;
}

/** Counts every contender in `plan`, one after the other; every process it starts is ended before it resolves. */
export async function runInstructions(
  plan: InstructionsPlan,
  progress: (message: string) => void,
): Promise<InstructionsReport> {
  const workDir = mkdtempSync(join(tmpdir(), 'stickiness-instructions-'));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  process.once('exit', removeWorkDir);
  launchMode.callgrindDir = join(workDir, 'callgrind');
  mkdirSync(launchMode.callgrindDir);
  try {
    const instructions: InstructionsReport['instructions'] = [];
    for (const kind of plan.backends) {
      progress(`starting three ${kind} backends`);
      const backends = await startBackends(kind);
      try {
        // the floor first: every row is read against it
        const inOrder = [...plan.contenders].sort(
          (a, b) => Number(b.name === 'floor-http-proxy-3') - Number(a.name === 'floor-http-proxy-3'),
        );
        const counts = new Map<ContenderName, Count[]>(inOrder.map((contender) => [contender.name, []]));
        for (let round = 1; round <= plan.rounds; round++) {
          const ofRounds = plan.rounds > 1 ? ` (round ${round} of ${plan.rounds})` : '';
          for (const contender of inOrder) {
            progress(`[${kind}] ${contender.name}${ofRounds}: starting under callgrind`);
            const count = await countOne(
              contender,
              await contender.start({ backends, workDir, healthCheckInterval: '5m' }),
              plan,
            );
            const perRequest = Math.round(count.instructionsPerRequest);
            progress(`[${kind}] ${contender.name}${ofRounds}: ${perRequest} instructions per request`);
            counts.get(contender.name)!.push(count);
          }
        }
        const rows = inOrder.map((contender) => medianRow(contender.name, counts.get(contender.name)!));
        const floor = rows.find((row) => row.name === 'floor-http-proxy-3');
        instructions.push({
          backend: kind,
          rows: rows.map((row) => ({
            ...row,
            vsFloor: floor === undefined ? null : row.instructionsPerRequest / floor.instructionsPerRequest,
            allThreadsVsFloor: floor === undefined ? null : row.allThreadsPerRequest / floor.allThreadsPerRequest,
          })),
        });
      } finally {
        await backends.close();
      }
    }
    const { contenders, ...settings } = plan;
    return {
      instructions,
      settings: { ...settings, contenders: contenders.map((contender) => contender.name) },
      machine: { node: process.version, valgrind: valgrindVersion() },
    };
  } finally {
    launchMode.callgrindDir = undefined;
    process.off('exit', removeWorkDir);
    removeWorkDir();
  }
}

/** What one fresh process counted. */
type Count = Pick<InstructionRow, 'instructionsPerRequest' | 'allThreadsPerRequest' | 'idlePerSecond' | 'requests'>;

/** A contender's row from its rounds: the median of each figure, not yet read against the floor. */
function medianRow(
  name: ContenderName,
  counts: readonly Count[],
): Omit<InstructionRow, 'vsFloor' | 'allThreadsVsFloor'> {
  const of = (figure: keyof Count) => median(counts.map((count) => count[figure]));
  return {
    name,
    instructionsPerRequest: of('instructionsPerRequest'),
    perRound: counts.map((count) => count.instructionsPerRequest),
    allThreadsPerRequest: of('allThreadsPerRequest'),
    idlePerSecond: of('idlePerSecond'),
    requests: counts[0]!.requests,
  };
}

/** Warms `running` up, counts its requests and then its idle work, and stops it. */
async function countOne(contender: Contender, running: RunningContender, plan: InstructionsPlan): Promise<Count> {
  const dir = launchMode.callgrindDir!;
  try {
    const pid = running.proxyPids()[0]!;
    const load = { url: running.url, connections: plan.connections };
    await runLoad({ ...load, amount: plan.warmupRequests });
    callgrindControl('--zero', pid);
    const countedFrom = performance.now();
    const counted = await runLoad({ ...load, amount: plan.requests });
    const countedSeconds = (performance.now() - countedFrom) / 1_000;
    const total = dumpedInstructions(dir, contender.name, pid);
    if (counted.errors > 0) {
      throw new Error(
        `${contender.name} failed ${counted.errors} of the counted requests (${counted.errorsInWords}); ` +
          'a count with failures would not be per answered request',
      );
    }
    callgrindControl('--zero', pid);
    await new Promise((resolve) => setTimeout(resolve, plan.idleSeconds * 1_000));
    const idle = dumpedInstructions(dir, contender.name, pid);
    const perRequest = (kind: keyof Counted) =>
      (total[kind] - (idle[kind] / plan.idleSeconds) * countedSeconds) / counted.requests;
    return {
      instructionsPerRequest: perRequest('main'),
      allThreadsPerRequest: perRequest('all'),
      idlePerSecond: idle.main / plan.idleSeconds,
      requests: counted.requests,
    };
  } finally {
    await running.stop();
  }
}

/** The table printed on stdout. */
export function instructionsTable(report: InstructionsReport): string {
  const lines: string[] = [];
  const { rounds, requests, warmupRequests } = report.settings;
  const count = (value: number) => Math.round(value).toLocaleString('en').padStart(11);
  const ratio = (value: number | null) => (value === null ? '' : `${value.toFixed(3)}x`).padStart(8);
  // how far the rounds lay apart, as a share of their median
  const spread = (row: InstructionRow) =>
    `±${((50 * (Math.max(...row.perRound) - Math.min(...row.perRound))) / row.instructionsPerRequest).toFixed(1)} %`;
  for (const section of report.instructions) {
    lines.push(
      `instructions per request, ${section.backend} backends (callgrind, ${requests} requests after ` +
        `${warmupRequests}${rounds > 1 ? `, median of ${rounds} processes each` : ''}):`,
      `  ${'contender'.padEnd(20)} ${'main thread'.padStart(11)} ${'x floor'.padStart(8)} ` +
        `${'all threads'.padStart(11)} ${'x floor'.padStart(8)}${rounds > 1 ? '  rounds' : ''}`,
    );
    for (const row of section.rows) {
      lines.push(
        `  ${row.name.padEnd(20)} ${count(row.instructionsPerRequest)} ${ratio(row.vsFloor)} ` +
          `${count(row.allThreadsPerRequest)} ${ratio(row.allThreadsVsFloor)}${rounds > 1 ? `  ${spread(row)}` : ''}`,
      );
    }
  }
  lines.push('("x floor": against floor-http-proxy-3; idle work, such as timers, is left out)');
  if (rounds === 1) lines.push('(one process each: a count is good to about ±3 %; --rounds 3 gives a median)');
  return lines.join('\n');
}

function callgrindControl(action: '--zero' | '--dump', pid: number): void {
  const result = spawnSync('callgrind_control', [action, String(pid)], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0)
    throw new Error(`callgrind_control ${action} ${pid} failed: ${(result.stderr || result.stdout || '').trim()}`);
}

/** What one dump counted: the main thread, and every thread (V8's compiler and GC helpers too). */
interface Counted {
  main: number;
  all: number;
}

/** Asks callgrind to dump the counts since the last zero and reads them from the files it wrote. */
function dumpedInstructions(dir: string, name: string, pid: number): Counted {
  const before = new Set(readdirSync(dir));
  callgrindControl('--dump', pid);
  // One file per thread and dump: <name>.<pid>.<dump>-<thread>, thread 01 being the main one.
  const dumped = readdirSync(dir).filter((file) => file.startsWith(`${name}.${pid}.`) && !before.has(file));
  const counted: Counted = { main: 0, all: 0 };
  for (const file of dumped) {
    const total = /^(?:summary|totals):\s*(\d+)/m.exec(readFileSync(join(dir, file), 'utf8'));
    if (total === null) throw new Error(`callgrind dump ${file} has no total`);
    counted.all += Number(total[1]);
    if (file.endsWith('-01')) counted.main += Number(total[1]);
  }
  if (counted.main === 0) throw new Error(`callgrind wrote no dump of ${name}'s main thread`);
  return counted;
}

function valgrindVersion(): string | null {
  const result = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}
