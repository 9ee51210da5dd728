// The bench's results: the JSON shape other tools read (`--json FILE`) and the table printed on stdout.
import type { BackendKind } from './backends.ts';
import type { ContenderName } from './contender.ts';
import type { FailoverFigures } from './failover.ts';
import type { ResourceFigures } from './resources.ts';
import { type MeasuredContender, median } from './throughput.ts';

/** A contender that could not run, and why. */
export interface SkippedContender {
  name: ContenderName;
  skipped: string;
}

/** One row of `contenders`. */
export type ContenderRow = MeasuredContender | SkippedContender;

/** Ours against the others; null where a side is missing. */
export interface Ratios {
  stickyVsHaproxy: number | null;
  stickyVsDirect: number | null;
  cpuPerRequestVsHaproxy: number | null;
  p99VsHaproxy: number | null;
}

/**
 * One of our proxy's rows against `floor-http-proxy-3`: CPU per request and rps, each as a multiple of the floor's,
 * taken round by round (a round runs every contender within seconds of the others, so drift of a shared machine hits
 * both sides of a ratio alike) and reported as the median with the lowest and highest round.
 */
export interface FloorRatio {
  name: ContenderName;
  cpuPerRequest: number | null;
  rps: number | null;
  /** `[lowest, highest]` over the rounds. */
  cpuPerRequestRange: [number, number] | null;
  rpsRange: [number, number] | null;
}

/** The throughput table for one kind of backend. */
export interface ThroughputSection {
  backend: BackendKind;
  contenders: ContenderRow[];
  ratios: Ratios;
  /** Each of our proxy's rows against the http-proxy-3 floor; empty unless the floor was measured (`--floors`). */
  floorRatios: FloorRatio[];
}

/**
 * Everything `--json FILE` writes; the top-level `contenders` and `ratios` are the first backend kind's (the shop's by
 * default).
 */
export interface BenchReport extends ThroughputSection {
  failover: (FailoverFigures | SkippedContender)[];
  memory: ResourceFigures | SkippedContender | null;
  /** Every backend kind measured, the first one repeated from the top level. */
  sections: ThroughputSection[];
  machine: {
    cpus: number;
    loadAverageBefore: number[];
    loadAverageAfter: number[];
    node: string;
    haproxy: string | null;
    nginx: string | null;
  };
  settings: Record<string, unknown>;
}

/** True for a row that was measured. */
export function isMeasured(row: ContenderRow): row is MeasuredContender {
  return !('skipped' in row);
}

/** The ratios of `proxy-sticky` to HAProxy and to direct. */
export function ratios(rows: readonly ContenderRow[]): Ratios {
  const find = (name: ContenderName) => rows.filter(isMeasured).find((row) => row.name === name);
  const sticky = find('proxy-sticky');
  const haproxy = find('haproxy');
  const direct = find('direct');
  return {
    stickyVsHaproxy: divide(sticky?.rps, haproxy?.rps),
    stickyVsDirect: divide(sticky?.rps, direct?.rps),
    cpuPerRequestVsHaproxy: divide(sticky?.cpuUsPerRequest, haproxy?.cpuUsPerRequest),
    p99VsHaproxy: divide(sticky?.p99Ms, haproxy?.p99Ms),
  };
}

/** Our proxy's rows against `floor-http-proxy-3`, measured in the same rounds; empty without the floor. */
export function floorRatios(rows: readonly ContenderRow[]): FloorRatio[] {
  const measured = rows.filter(isMeasured);
  const floor = measured.find((row) => row.name === 'floor-http-proxy-3');
  if (floor === undefined) return [];
  return measured
    .filter((row) => row.name.startsWith('proxy-') || row.name === 'baseline-sticky')
    .map((row) => {
      const cpu = perRound(row.roundCpuUsPerRequest, floor.roundCpuUsPerRequest);
      const rps = perRound(row.roundRps, floor.roundRps);
      return {
        name: row.name,
        cpuPerRequest: cpu.median,
        rps: rps.median,
        cpuPerRequestRange: cpu.range,
        rpsRange: rps.range,
      };
    });
}

/** The round-by-round ratios of `ours` to `floor`: their median, lowest and highest. */
function perRound(
  ours: readonly number[],
  floor: readonly number[],
): { median: number | null; range: [number, number] | null } {
  const ratios = ours.flatMap((value, index) => {
    const ratio = divide(value, floor[index]);
    return ratio === null ? [] : [ratio];
  });
  if (ratios.length === 0) return { median: null, range: null };
  return { median: round(median(ratios), 2), range: [Math.min(...ratios), Math.max(...ratios)] };
}

function divide(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b != null && b > 0 ? round(a / b, 2) : null;
}

/** `value` with `digits` decimals. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The printed table of one section. */
export function throughputTable(section: ThroughputSection): string {
  const lines = [
    `backend: ${section.backend}`,
    pad(['contender', 'rps', 'p50 ms', 'p99 ms', 'errors', 'CPU µs/req', 'rounds (rps)']),
  ];
  for (const row of section.contenders) {
    if (!isMeasured(row)) {
      lines.push(`${row.name.padEnd(19)}skipped: ${row.skipped}`);
      continue;
    }
    lines.push(
      pad([
        row.name,
        String(Math.round(row.rps)),
        String(round(row.p50Ms)),
        String(round(row.p99Ms)),
        String(row.errors),
        row.cpuUsPerRequest === null ? '-' : String(round(row.cpuUsPerRequest)),
        row.roundRps.join(' '),
      ]),
    );
  }
  const r = section.ratios;
  lines.push(
    `ratios: sticky/haproxy rps ${show(r.stickyVsHaproxy)}, sticky/direct rps ${show(r.stickyVsDirect)}, ` +
      `sticky/haproxy CPU per request ${show(r.cpuPerRequestVsHaproxy)}, sticky/haproxy p99 ${show(r.p99VsHaproxy)}`,
  );
  if (section.floorRatios.length > 0) {
    lines.push('against floor-http-proxy-3, round by round (median, lowest-highest):');
    for (const row of section.floorRatios) {
      lines.push(
        `  ${row.name.padEnd(18)} CPU per request ${withRange(row.cpuPerRequest, row.cpuPerRequestRange)}` +
          `  rps ${withRange(row.rps, row.rpsRange)}`,
      );
    }
  }
  return lines.join('\n');
}

/** The printed failover and memory figures. */
export function failoverAndMemoryTable(report: BenchReport): string {
  const lines = [
    'failover (SIGKILL of one of three backends under load):',
    pad(['proxy', 'failed', 'detection ms', 'requests']),
  ];
  for (const row of report.failover) {
    if ('skipped' in row) lines.push(`${row.name.padEnd(14)}skipped: ${row.skipped}`);
    else
      lines.push(
        pad([
          row.name,
          String(row.failedRequests),
          row.detectionMs === null ? 'never' : String(Math.round(row.detectionMs)),
          String(row.requests),
        ]),
      );
  }
  const memory = report.memory;
  if (memory !== null && 'skipped' in memory) lines.push(`memory: skipped: ${memory.skipped}`);
  else if (memory !== null) {
    lines.push(
      `memory (proxy-sticky, ${memory.requests} requests, ${memory.errors} errors): ` +
        `RSS ${memory.rssBeforeMb} -> ${memory.rssAfterMb} MB, ` +
        `sockets ${memory.socketsBefore} -> ${memory.socketsAfter}`,
    );
  }
  return lines.join('\n');
}

function pad(cells: readonly string[]): string {
  const widths = [18, 8, 8, 8, 8, 12, 0];
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]! || cell.length)))
    .join(' ')
    .trimEnd();
}

function withRange(value: number | null, range: [number, number] | null): string {
  return range === null ? show(value) : `${show(value)} (${range[0]}-${range[1]})`;
}

function show(value: number | null): string {
  return value === null ? 'n/a' : `${value}x`;
}
