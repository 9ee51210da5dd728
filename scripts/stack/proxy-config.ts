// The proxy config a stack runs: the file it was given, with extra pools and the ports its instances really got.

import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { LabError } from '../../lab/errors.ts';
import { shopOfPool } from './topology.ts';

/** A proxy config file as YAML gives it, before the schema checks it. */
export interface RawConfig {
  rules?: { path: string; pool: string }[];
  pools: Record<string, { targets?: { id: string; url: string }[] }>;
  trustedProxies?: unknown;
}

/** What the stack changes in the file. */
export interface ConfigRewrite {
  /** Top-level settings that replace the file's; `trustedProxies` adds to the file's instead. */
  proxyOverrides?: Record<string, unknown>;
  /** Pool settings that replace the file's in every pool. */
  poolOverrides?: Record<string, unknown>;
}

/** The file with each extra pool added as a copy of its mode's pool, with a rule of its own and free ports. */
export function withExtraPools(file: RawConfig, extraPools: readonly string[]): RawConfig {
  if (extraPools.length === 0) return file;
  const pools = { ...file.pools };
  const rules = [...(file.rules ?? [])];
  for (const name of extraPools) {
    const shop = shopOfPool(name);
    const base = shop && file.pools[shop.mode];
    if (!shop?.cartWrites || !base)
      throw new LabError(
        'invalid_settings',
        `extra pool "${name}": expected memory-whole-session or redis-whole-session beside its mode's pool`,
      );
    pools[name] = {
      ...base,
      targets: (base.targets ?? []).map((_, index) => ({ id: `${name}-${index + 1}`, url: 'http://127.0.0.1:0' })),
    };
    rules.push({ path: `/${name}`, pool: name });
  }
  return { ...file, pools, rules };
}

/**
 * Writes the proxy config to `destination` with the targets the stack started, at the ports they got (`ports` by
 * instance id); targets that did not start are left out.
 */
export function writeProxyConfig(
  file: RawConfig,
  destination: string,
  ports: ReadonlyMap<string, number>,
  rewrite: ConfigRewrite,
): void {
  const raw = { ...file, ...rewrite.proxyOverrides };
  // trusted proxies add up: the stack's own need (loopback) must not drop the ones the file names
  const trusted = [file.trustedProxies, rewrite.proxyOverrides?.trustedProxies].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  if (trusted.length > 0) raw.trustedProxies = [...new Set(trusted)];
  for (const [name, pool] of Object.entries(raw.pools)) {
    const rewritten = { ...pool, ...rewrite.poolOverrides };
    raw.pools[name] = rewritten;
    rewritten.targets = (rewritten.targets ?? [])
      .filter((target) => ports.has(target.id))
      .map((target) => ({ ...target, url: `http://127.0.0.1:${ports.get(target.id)}` }));
  }
  writeFileSync(destination, stringify(raw));
}
