// Request latency per target as plain bucket counters: observing is a loop and two additions, no label lookup per
// request.
import type { LatencyRecorder } from '../pool/target.ts';

/** Upper bounds in seconds, like prom-client's defaults but finer below 10 ms, where a proxy's answers are. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** One target's histogram; the metrics registry reads it at scrape time. */
export class LatencyCounts implements LatencyRecorder {
  readonly pool: string;
  readonly target: string;
  /** Answers per bucket (not cumulative); the last slot counts those above the largest bound. */
  readonly counts = new Float64Array(LATENCY_BUCKETS.length + 1);
  sum = 0;
  count = 0;

  constructor(pool: string, target: string) {
    this.pool = pool;
    this.target = target;
  }

  observe(seconds: number): void {
    let index = 0;
    while (index < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[index]!) index++;
    this.counts[index]!++;
    this.sum += seconds;
    this.count++;
  }
}

/** A value line of the Prometheus text format, as prom-client's registry prints it. */
export interface HistogramValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/** The `_bucket` (cumulative, with `le`), `_sum` and `_count` lines of `histograms` under `name`. */
export function histogramValues(name: string, histograms: Iterable<LatencyCounts>): HistogramValue[] {
  const values: HistogramValue[] = [];
  for (const histogram of histograms) {
    const labels = { pool: histogram.pool, target: histogram.target };
    let cumulative = 0;
    for (let index = 0; index <= LATENCY_BUCKETS.length; index++) {
      cumulative += histogram.counts[index]!;
      values.push({
        metricName: `${name}_bucket`,
        labels: { ...labels, le: LATENCY_BUCKETS[index] ?? '+Inf' },
        value: cumulative,
      });
    }
    values.push(
      { metricName: `${name}_sum`, labels, value: histogram.sum },
      { metricName: `${name}_count`, labels, value: histogram.count },
    );
  }
  return values;
}
