// The one interface every benchmarked contender implements (no proxy, our proxy, HAProxy, nginx), registered by name.
import type { BackendSet } from './backends.ts';

/** The names the report and its JSON use. */
export type ContenderName =
  | 'direct'
  | 'proxy-rr'
  | 'proxy-sticky'
  | 'proxy-app-cookie'
  | 'proxy-source-ip'
  | 'haproxy'
  | 'nginx'
  | 'baseline-sticky'
  | 'floor-node-http'
  | 'floor-http-proxy-3';

/** Where a contender may write its config files and logs; removed after the run. */
export interface ContenderContext {
  backends: BackendSet;
  workDir: string;
  /**
   * How often our proxy checks its targets (default `1s`, like the other contenders): the instruction count stretches
   * it, so that work done per second, which callgrind's slowness multiplies per request, stays out of its figure.
   */
  healthCheckInterval?: string;
}

/** A started contender. */
export interface RunningContender {
  /** The URL the load generator requests (path included). */
  readonly url: string;
  /** The processes whose CPU time counts as this contender's (empty for `direct`: no proxy process). */
  proxyPids(): number[];
  /**
   * Resolves with the time (`performance.now()`) at which the proxy itself considered backend `index`
   * out of service, as it reports it (admin API, stats page or error log); undefined when it says nothing
   * within `timeoutMs`.
   */
  waitUntilOut?(index: number, timeoutMs: number): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** One contender: whether it can run here, and how to start it in front of the backends. */
export interface Contender {
  readonly name: ContenderName;
  /** True for the contenders that sit between client and backends (failover applies). */
  readonly isProxy: boolean;
  /** Why it cannot run on this machine (e.g. a missing binary, with the install hint), or undefined. */
  unavailable(): string | undefined;
  start(context: ContenderContext): Promise<RunningContender>;
}
