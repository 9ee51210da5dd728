// The one interface every translation implements: a checked proxy config in, the nearest config of a real balancer out.
import type { PoolConfig, ProxyConfig } from '../../proxy/config/schema.ts';

/** One real balancer's dialect. */
export interface Translator {
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** The equivalent config as text, with comments wherever the semantics differ from the lab proxy. */
  translate(config: ProxyConfig): string;
}

/** A pool and the rule path that leads to it. */
export interface RoutedPool {
  name: string;
  path: string;
  settings: PoolConfig;
}

/** Pools in the order of the rules that lead to them (a pool no rule reaches is left out: it gets no traffic). */
export function routedPools(config: ProxyConfig): RoutedPool[] {
  return config.rules.flatMap((rule) => {
    const settings = config.pools[rule.pool];
    return settings ? [{ name: rule.pool, path: rule.path, settings }] : [];
  });
}

/** Host and port of a target URL. */
export function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 80) };
}

/** Milliseconds as whole seconds, at least 1. */
export function seconds(ms: number): number {
  return Math.max(1, Math.round(ms / 1_000));
}
