// One bench run: backends, contenders, the throughput sections, failover and resource use, gathered into one report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackendKind, startBackends } from './backends.ts';
import { findBinary } from './binaries.ts';
import type { Contender, ContenderName, RunningContender } from './contender.ts';
import { chosenContenders } from './contenders/registry.ts';
import { measureFailover } from './failover.ts';
import { launchMode } from './node-launch.ts';
import type { BenchOptions } from './options.ts';
import {
  type BenchReport,
  type ContenderRow,
  floorRatios,
  ratios,
  round,
  type SkippedContender,
  type ThroughputSection,
} from './report.ts';
import { measureResources } from './resources.ts';
import { measureThroughput } from './throughput.ts';

/** The contenders of a run and what every phase needs besides the backends. */
interface Lineup {
  /** Every contender asked for, in report order, skipped ones included. */
  chosen: readonly Contender[];
  available: readonly Contender[];
  skipped: ReadonlyMap<ContenderName, string>;
  options: BenchOptions;
  workDir: string;
  progress: (message: string) => void;
}

/** Runs the whole bench; `progress` hears one line per step. Every process it starts is ended before it resolves. */
export async function runBench(options: BenchOptions, progress: (message: string) => void): Promise<BenchReport> {
  const loadAverageBefore = loadavg().map((value) => round(value, 2));
  const workDir = mkdtempSync(join(tmpdir(), 'stickiness-bench-'));
  // Interrupted runs exit through process.exit (bench.ts), where no finally runs.
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  process.once('exit', removeWorkDir);
  launchMode.cpuProfileDir = options.cpuProfileDir;
  const chosen = chosenContenders(options.only, options.baseline);
  const skipped = new Map<ContenderName, string>();
  for (const contender of chosen) {
    const reason = contender.unavailable();
    if (reason !== undefined) {
      skipped.set(contender.name, reason);
      progress(`skipping ${contender.name}: ${reason}`);
    }
  }
  const available = chosen.filter((contender) => !skipped.has(contender.name));
  const lineup: Lineup = { chosen, available, skipped, options, workDir, progress };
  try {
    const sections: ThroughputSection[] = [];
    let failover: BenchReport['failover'] = [];
    let memory: BenchReport['memory'] = null;
    for (const [index, kind] of options.backends.entries()) {
      sections.push(await throughputSection(kind, lineup));
      if (index > 0 || options.throughputOnly) continue;
      ({ failover, memory } = await failoverAndMemory(kind, lineup));
    }
    return {
      ...sections[0]!,
      failover,
      memory,
      sections,
      machine: {
        cpus: cpus().length,
        loadAverageBefore,
        loadAverageAfter: loadavg().map((value) => round(value, 2)),
        node: process.version,
        haproxy: version('haproxy', ['-v']),
        nginx: version('nginx', ['-v']),
      },
      settings: {
        ...options,
        json: undefined,
        cpuProfileDir: undefined,
        baseline: options.baseline === undefined ? undefined : 'given',
      },
    };
  } finally {
    process.off('exit', removeWorkDir);
    removeWorkDir();
  }
}

async function throughputSection(
  kind: BackendKind,
  { chosen, available, skipped, options, workDir, progress }: Lineup,
): Promise<ThroughputSection> {
  progress(`starting three ${kind} backends`);
  const backends = await startBackends(kind);
  const running = new Map<ContenderName, RunningContender>();
  try {
    for (const contender of available) {
      progress(`starting ${contender.name}`);
      running.set(contender.name, await contender.start({ backends, workDir }));
    }
    const measured = await measureThroughput(running, options, (message) => progress(`[${kind}] ${message}`));
    const rows: ContenderRow[] = chosen.map(
      (contender) =>
        measured.find((row) => row.name === contender.name) ?? {
          name: contender.name,
          skipped: skipped.get(contender.name)!,
        },
    );
    return { backend: kind, contenders: rows, ratios: ratios(rows), floorRatios: floorRatios(rows) };
  } finally {
    for (const contender of running.values()) await contender.stop();
    await backends.close();
  }
}

async function failoverAndMemory(
  kind: BackendKind,
  { chosen, available, skipped, options, workDir, progress }: Lineup,
): Promise<Pick<BenchReport, 'failover' | 'memory'>> {
  const backends = await startBackends(kind);
  const context = { backends, workDir };
  try {
    const failover: BenchReport['failover'] = [];
    for (const contender of chosen.filter((each) => each.isProxy)) {
      const reason = skipped.get(contender.name);
      if (reason !== undefined) {
        failover.push({ name: contender.name, skipped: reason });
        continue;
      }
      progress(`failover ${contender.name}: SIGKILL of ${backends.backends[1]!.id} under load`);
      const figures = await measureFailover(contender, context, {
        seconds: options.failoverSeconds,
        connections: options.connections,
      });
      progress(
        `failover ${contender.name}: ${figures.failedRequests} failed, ` +
          `detection ${figures.detectionMs === null ? 'never' : `${Math.round(figures.detectionMs)} ms`}`,
      );
      failover.push({ ...figures, detectionMs: figures.detectionMs === null ? null : round(figures.detectionMs) });
    }
    const sticky = available.find((contender) => contender.name === 'proxy-sticky');
    let memory: BenchReport['memory'] = null;
    if (sticky !== undefined) {
      progress(`resource use of proxy-sticky around ${options.memoryRequests} requests`);
      const figures = await measureResources(sticky, context, {
        requests: options.memoryRequests,
        connections: options.connections,
      });
      memory = { ...figures, rssBeforeMb: round(figures.rssBeforeMb), rssAfterMb: round(figures.rssAfterMb) };
    } else if (chosen.some((contender) => contender.name === 'proxy-sticky')) {
      memory = { name: 'proxy-sticky', skipped: skipped.get('proxy-sticky')! } satisfies SkippedContender;
    }
    return { failover, memory };
  } finally {
    await backends.close();
  }
}

/** The first line a binary prints about its version, or null when it is missing. */
function version(name: string, args: string[]): string | null {
  const binary = findBinary(name);
  if (binary === undefined) return null;
  // nginx prints its version on stderr, HAProxy on stdout
  const result = spawnSync(binary, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')[0]!.trim() || null;
}
