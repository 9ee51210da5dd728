// The proxy's config schema (listener -> rules -> pools -> targets), with the defaults docs/proxy.md documents.
import { z } from 'zod';
import { algorithmNames } from '../balancing/registry.ts';
import { stickinessOptions } from '../stickiness/registry.ts';
import { duration } from './duration.ts';

const HOUR_MS = 3_600_000;

/** Ids of pools and targets: short, and safe inside cookies, metrics labels and URLs. */
export const identifier = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1 to 64 letters, digits, "-" or "_"');

const port = z.number().int().min(0).max(65_535);
const address = z.union([z.ipv4(), z.ipv6()], { error: 'expected an IPv4 or IPv6 address' });

/** A target as declared in the config and in `POST /api/pools/:pool/targets`. */
export const targetSchema = z.strictObject({
  id: identifier,
  url: z.url({ protocol: /^http$/, error: 'expected an http:// URL such as http://127.0.0.1:3001' }),
  /** Share of new sessions under weighted round robin; 0 takes no new sessions but keeps bound ones. */
  weight: z.number().int().min(0).max(1_000).default(1),
});

/** The fields of an active health check (ALB's words), without defaults: a patch names only what changes. */
const healthCheckFields = {
  path: z.string().regex(/^\/\S*$/, 'expected a path starting with "/"'),
  interval: duration(100, 5 * 60_000),
  timeout: duration(50, 60_000),
  healthyThreshold: z.number().int().min(1).max(10),
  unhealthyThreshold: z.number().int().min(1).max(10),
};

/** A health check's timeout must end before the next check starts. */
export function healthCheckTimeoutFits(check: { timeout: number; interval: number }): boolean {
  return check.timeout <= check.interval;
}

/** Active health checks, every field defaulted. */
export const healthCheckSchema = z
  .strictObject({
    path: healthCheckFields.path.default('/healthz'),
    interval: healthCheckFields.interval.default(1_000),
    timeout: healthCheckFields.timeout.default(1_000),
    healthyThreshold: healthCheckFields.healthyThreshold.default(2),
    unhealthyThreshold: healthCheckFields.unhealthyThreshold.default(2),
  })
  .refine(healthCheckTimeoutFits, {
    message: 'expected a timeout no longer than the interval',
    path: ['timeout'],
  });

/** How a request that could not reach its target is tried again. */
export const retriesSchema = z.strictObject({
  /** Further attempts after the first, each on another target. */
  count: z.number().int().min(0).max(5).default(2),
  /** No new attempt starts later than this after the request arrived. */
  within: duration(0, 60_000).default(3_000),
});

/** The settings of one pool (ALB's target group). */
export const poolSchema = z.strictObject({
  algorithm: z.enum(algorithmNames).default('round-robin'),
  stickiness: stickinessOptions.prefault({ type: 'none' }),
  /** When the bound target cannot serve: `re-stick` to a new one, or answer 503 (`strict`). */
  failover: z.enum(['re-stick', 'strict']).default('re-stick'),
  healthCheck: healthCheckSchema.prefault({}),
  retries: retriesSchema.prefault({}),
  /** How long a draining target keeps serving its bound sessions. */
  deregistrationDelay: duration(0, HOUR_MS).default(5_000),
  /** How long a target may stay silent while answering before the request fails with 504. */
  timeout: duration(100, 10 * 60_000).default(15_000),
  targets: z.array(targetSchema).default([]),
});

/** Rules must name pools, target ids must be unique across pools; tolerant of parts that failed their own checks. */
function checkReferences(config: { rules?: unknown; pools?: unknown }, ctx: z.RefinementCtx): void {
  const pools =
    typeof config.pools === 'object' && config.pools !== null
      ? (config.pools as Record<string, { targets?: unknown }>)
      : {};
  if (Array.isArray(config.rules)) {
    config.rules.forEach((rule: { path?: unknown; pool?: unknown } | null, index) => {
      if (typeof rule?.pool === 'string' && !(rule.pool in pools)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'pool'],
          message: `expected the name of a pool, got "${rule.pool}"`,
        });
      }
      if (rule?.path === '/') {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'path'],
          message: 'expected a path below "/" (the landing page lives at "/")',
        });
      }
    });
  }
  const seen = new Set<string>();
  for (const [name, pool] of Object.entries(pools)) {
    if (!Array.isArray(pool?.targets)) continue;
    pool.targets.forEach((target: { id?: unknown } | null, index) => {
      if (typeof target?.id !== 'string') return;
      if (seen.has(target.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['pools', name, 'targets', index, 'id'],
          message: `expected a unique target id, "${target.id}" is used twice`,
        });
      }
      seen.add(target.id);
    });
  }
}

/** The whole config file. */
export const configSchema = z
  .strictObject({
    listener: z.strictObject({ host: z.string().min(1).default('0.0.0.0'), port: port.default(8080) }).prefault({}),
    control: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8081),
        /**
         * Host names besides 127.0.0.1, localhost and [::1] the control port answers to (`.example.test`: it and its
         * subdomains).
         */
        allowedHosts: z
          .array(z.string().regex(/^\.?[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'expected a host name without port'))
          .default([]),
      })
      .prefault({}),
    /** HMAC key of the proxy's cookie; `PROXY_COOKIE_SECRET` overrides it. */
    cookieSecret: z.string().min(16, 'expected at least 16 characters').optional(),
    /** Peers whose `X-Forwarded-For` is believed by source-ip stickiness. */
    trustedProxies: z.array(address).default([]),
    rules: z
      .array(
        z.strictObject({
          path: z.string().regex(/^\/[^\s?#]*$/, 'expected a path starting with "/"'),
          pool: identifier,
        }),
      )
      .min(1, 'expected at least one rule'),
    pools: z.record(identifier, poolSchema),
  })
  // Runs even when other parts failed, so cross-references are listed together with every other problem.
  .superRefine(checkReferences, { when: () => true });

/** A checked config with every default filled in; durations are milliseconds. */
export type ProxyConfig = z.output<typeof configSchema>;

/** A checked pool config. */
export type PoolConfig = z.output<typeof poolSchema>;

/** The body of `PATCH /api/pools/:pool`: the settings that can change at run time. */
export const poolPatchSchema = z
  .strictObject({
    algorithm: poolSchema.shape.algorithm.unwrap().optional(),
    stickiness: stickinessOptions.optional(),
    failover: poolSchema.shape.failover.unwrap().optional(),
    retries: retriesSchema.optional(),
    deregistrationDelay: duration(0, HOUR_MS).optional(),
    /** Health check fields to change; the others keep their current values. */
    healthCheck: z.strictObject(healthCheckFields).partial().optional(),
    timeout: poolSchema.shape.timeout.unwrap().optional(),
    /** New weights by target id. */
    weights: z.record(identifier, targetSchema.shape.weight.unwrap()).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'expected at least one setting to change' });

/** A checked pool patch. */
export type PoolPatch = z.output<typeof poolPatchSchema>;

/** Every problem of a failed parse as `path: message` lines, e.g. `pools.memory.stickiness.duration: expected ...`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`,
  );
}
