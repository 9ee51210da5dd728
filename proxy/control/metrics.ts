// Prometheus metrics of the proxy: requests, errors, latency per target and pool, non-sticky decisions by reason,
// target states.
import { Counter, collectDefaultMetrics, Gauge, type Metric, Registry } from 'prom-client';
import type { ProxyErrorCode } from '../errors.ts';
import type { ForwardObserver } from '../forwarding/observer.ts';
import type { Fleet } from '../pool/fleet.ts';
import type { Pool } from '../pool/pool.ts';
import type { LatencyRecorder, Target, TargetState } from '../pool/target.ts';
import type { NonStickyReason } from '../stickiness/method.ts';
import { histogramValues, LatencyCounts } from './latency-histogram.ts';

const STATES: readonly TargetState[] = ['healthy', 'unhealthy', 'draining', 'down'];

/**
 * The metrics registry. Per-request counters live as plain numbers on each Target and are read at
 * scrape time, so the hot path does no label lookups; the latency histogram too is plain bucket
 * counters per target (prom-client's bound children still hash their labels on every observation).
 */
export class ProxyMetrics implements ForwardObserver {
  readonly registry = new Registry();
  private fleet: Fleet | undefined;
  /** Latency counters by target; a removed target keeps its series, as prom-client children did. */
  private readonly latency = new Map<string, LatencyCounts>();
  private readonly nonSticky: Counter<'pool' | 'reason'>;
  private readonly refusals: Counter<'pool' | 'code'>;
  private readonly retries: Counter<'pool' | 'target' | 'cause'>;

  constructor() {
    const registers = [this.registry];
    const fleetTargets = () => (this.fleet ? [...this.fleet.targets()] : []);
    collectDefaultMetrics({ register: this.registry, prefix: 'proxy_process_' });
    const latencyName = 'proxy_request_duration_seconds';
    const latencyHelp = 'Time from a request arriving to its answer ending, per target and pool.';
    // A registry entry of prom-client's shape whose values come from the counters at scrape time.
    this.registry.registerMetric({
      name: latencyName,
      help: latencyHelp,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: latencyName,
        help: latencyHelp,
        type: 'histogram',
        aggregator: 'sum',
        values: histogramValues(latencyName, this.latency.values()),
      }),
    } as unknown as Metric);
    this.nonSticky = new Counter({
      name: 'proxy_non_sticky_requests_total',
      help: "Requests whose routing did not follow stickiness, by reason (like ALB's NonStickyRequestCount).",
      labelNames: ['pool', 'reason'],
      registers,
    });
    this.refusals = new Counter({
      name: 'proxy_error_responses_total',
      help: 'Errors the proxy answered with itself, by code (no_healthy_target, upstream_unreachable, ...).',
      labelNames: ['pool', 'code'],
      registers,
    });
    this.retries = new Counter({
      name: 'proxy_retries_total',
      help: 'Attempts that failed and were retried on another target, by the failed target and cause.',
      labelNames: ['pool', 'target', 'cause'],
      registers,
    });
    new Counter({
      name: 'proxy_requests_total',
      help: 'Requests forwarded to each target (every attempt).',
      labelNames: ['pool', 'target'],
      registers,
      collect() {
        this.reset();
        for (const target of fleetTargets()) this.inc({ pool: target.pool, target: target.id }, target.requests);
      },
    });
    new Counter({
      name: 'proxy_target_errors_total',
      help: 'Forwards to each target that failed or were answered with a 5xx.',
      labelNames: ['pool', 'target'],
      registers,
      collect() {
        this.reset();
        for (const target of fleetTargets()) this.inc({ pool: target.pool, target: target.id }, target.errors);
      },
    });
    new Gauge({
      name: 'proxy_target_inflight',
      help: 'Requests in flight to each target.',
      labelNames: ['pool', 'target'],
      registers,
      collect() {
        this.reset();
        for (const target of fleetTargets()) this.set({ pool: target.pool, target: target.id }, target.inflight);
      },
    });
    new Gauge({
      name: 'proxy_target_state',
      help: '1 for the state each target is in, 0 for the others.',
      labelNames: ['pool', 'target', 'state'],
      registers,
      collect() {
        this.reset();
        for (const target of fleetTargets()) {
          for (const state of STATES)
            this.set({ pool: target.pool, target: target.id, state }, target.state === state ? 1 : 0);
        }
      },
    });
    const boundSessions = (pool: Pool) => pool.stickiness.boundSessions(Date.now());
    const pools = () => (this.fleet ? [...this.fleet.pools.values()] : []);
    new Gauge({
      name: 'proxy_bound_sessions',
      help: 'Live sessions bound to each target, where the stickiness method can know (lb-cookie, app-cookie).',
      labelNames: ['pool', 'target'],
      registers,
      collect() {
        this.reset();
        for (const pool of pools()) {
          const counts = boundSessions(pool);
          if (counts === undefined) continue;
          for (const target of pool.targets)
            this.set({ pool: pool.name, target: target.id }, counts.get(target.id) ?? 0);
        }
      },
    });
  }

  /** Lets scrapes read the fleet's targets (the fleet is built after the metrics, with their recorders). */
  attach(fleet: Fleet): void {
    this.fleet = fleet;
  }

  /** The latency counters of one target (the same ones again for a target re-added under its old id). */
  latencyRecorder(pool: string, target: string): LatencyRecorder {
    const key = `${pool}\t${target}`;
    let counts = this.latency.get(key);
    if (counts === undefined) {
      counts = new LatencyCounts(pool, target);
      this.latency.set(key, counts);
    }
    return counts;
  }

  answered(pool: Pool, target: Target, _status: number, seconds: number, reason: NonStickyReason | undefined): void {
    target.latency.observe(seconds);
    if (reason !== undefined) this.nonSticky.inc({ pool: pool.name, reason });
  }

  refused(pool: Pool | undefined, code: ProxyErrorCode): void {
    this.refusals.inc({ pool: pool?.name ?? '', code });
  }

  retried(pool: Pool, target: Target, cause: string): void {
    this.retries.inc({ pool: pool.name, target: target.id, cause });
  }
}
