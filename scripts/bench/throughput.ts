// The throughput phase: every contender under the same load, in interleaved rounds so machine drift hits all alike.
import type { ContenderName, RunningContender } from './contender.ts';
import { type LoadFigures, runLoad } from './load.ts';
import { cpuMicros } from './process-stats.ts';

/** How the phase runs. */
export interface ThroughputPlan {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

/** One contender's figures over all rounds. */
export interface MeasuredContender {
  name: ContenderName;
  /** Median over the rounds. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Summed over the rounds. */
  errors: number;
  requests: number;
  /** Proxy CPU (user + system) over all rounds divided by the requests; null without a proxy process. */
  cpuUsPerRequest: number | null;
  /** Requests per second of each round, in round order (to show the spread). */
  roundRps: number[];
  /** CPU per request of each round, in round order; empty without a proxy process. */
  roundCpuUsPerRequest: number[];
}

interface Round {
  load: LoadFigures;
  cpuMicros: number;
}

/**
 * Warms every contender up, then runs `plan.rounds` rounds, each contender once per round, starting one further along
 * each round.
 */
export async function measureThroughput(
  running: ReadonlyMap<ContenderName, RunningContender>,
  plan: ThroughputPlan,
  progress: (message: string) => void,
): Promise<MeasuredContender[]> {
  const names = [...running.keys()];
  for (const name of names) {
    progress(`warm-up ${name} (${plan.warmupSeconds} s)`);
    await runLoad({ url: running.get(name)!.url, connections: plan.connections, seconds: plan.warmupSeconds });
  }
  const rounds = new Map<ContenderName, Round[]>(names.map((name) => [name, []]));
  for (let round = 0; round < plan.rounds; round++) {
    const order = names.map((_, index) => names[(index + round) % names.length]!);
    for (const name of order) {
      const contender = running.get(name)!;
      const cpuBefore = cpuMicros(contender.proxyPids());
      const load = await runLoad({ url: contender.url, connections: plan.connections, seconds: plan.seconds });
      const cpu = cpuMicros(contender.proxyPids()) - cpuBefore;
      rounds.get(name)!.push({ load, cpuMicros: cpu });
      progress(
        `round ${round + 1}/${plan.rounds} ${name}: ` +
          `${Math.round(load.rps)} rps, p99 ${load.p99Ms} ms, ${load.errors} errors`,
      );
    }
  }
  return names.map((name) => summarise(name, rounds.get(name)!, running.get(name)!.proxyPids().length > 0));
}

function summarise(name: ContenderName, rounds: readonly Round[], hasProxy: boolean): MeasuredContender {
  const requests = rounds.reduce((sum, round) => sum + round.load.requests, 0);
  const cpu = rounds.reduce((sum, round) => sum + round.cpuMicros, 0);
  return {
    name,
    rps: median(rounds.map((round) => round.load.rps)),
    p50Ms: median(rounds.map((round) => round.load.p50Ms)),
    p99Ms: median(rounds.map((round) => round.load.p99Ms)),
    errors: rounds.reduce((sum, round) => sum + round.load.errors, 0),
    requests,
    cpuUsPerRequest: hasProxy && requests > 0 ? cpu / requests : null,
    roundRps: rounds.map((round) => Math.round(round.load.rps)),
    roundCpuUsPerRequest: hasProxy
      ? rounds.map((round) => Math.round((10 * round.cpuMicros) / Math.max(1, round.load.requests)) / 10)
      : [],
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
