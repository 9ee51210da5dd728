// What the lab proxy knows about the lab around it (who runs its processes, the supervisor's address and key), handed
// over in its environment by `npm run demo` or compose.yaml: the proxy's own config has no word for any of it.

import { z } from 'zod';
import type { Orchestrator } from '../contract/wire.ts';
import { LabError } from './errors.ts';

/** The lab proxy's own options. */
export interface LabOptions {
  /** Who runs the lab's processes; null when nobody here does (a lab proxy started by hand). */
  orchestrator: Orchestrator | null;
  /** The native supervisor's API, e.g. `http://127.0.0.1:40123` (`npm run demo` only). */
  supervisorUrl?: string;
  /** The supervisor's per-run secret; never on a command line or in a URL, which end up in logs. */
  supervisorSecret?: string;
  /** The public listener as clients reach it; default `http://127.0.0.1:<listener port>`. */
  publicUrl?: string;
  /**
   * The Sentinels of a replicated Redis, `host:port,…`: where no supervisor reports the Redis servers (Docker Compose),
   * the console asks them who is primary.
   */
  redisSentinels?: string;
}

/** The environment variables that carry the options. */
export const LAB_ENV = {
  orchestrator: 'LAB_ORCHESTRATOR',
  supervisorUrl: 'LAB_SUPERVISOR_URL',
  supervisorSecret: 'LAB_SUPERVISOR_SECRET',
  publicUrl: 'LAB_PUBLIC_URL',
  redisSentinels: 'LAB_REDIS_SENTINELS',
} as const;

const envSchema = z.object({
  [LAB_ENV.orchestrator]: z.enum(['native', 'compose']).optional(),
  [LAB_ENV.supervisorUrl]: z.url({ protocol: /^http$/ }).optional(),
  [LAB_ENV.supervisorSecret]: z.string().min(1).optional(),
  [LAB_ENV.publicUrl]: z.url({ protocol: /^https?$/ }).optional(),
  [LAB_ENV.redisSentinels]: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, 'host:port pairs separated by commas')
    .optional(),
});

/** The options from `env`; empty variables count as unset. Throws a list of problems for wrong values. */
export function labOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LabOptions {
  const present = Object.fromEntries(Object.values(LAB_ENV).flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new LabError(
      'invalid_settings',
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  const values = parsed.data;
  return {
    orchestrator: values[LAB_ENV.orchestrator] ?? null,
    supervisorUrl: values[LAB_ENV.supervisorUrl],
    supervisorSecret: values[LAB_ENV.supervisorSecret],
    publicUrl: values[LAB_ENV.publicUrl],
    redisSentinels: values[LAB_ENV.redisSentinels],
  };
}

/** The environment that gives a lab proxy `options`. */
export function labEnv(options: LabOptions): Record<string, string> {
  const entries: [string, string | null | undefined][] = [
    [LAB_ENV.orchestrator, options.orchestrator],
    [LAB_ENV.supervisorUrl, options.supervisorUrl],
    [LAB_ENV.supervisorSecret, options.supervisorSecret],
    [LAB_ENV.publicUrl, options.publicUrl],
    [LAB_ENV.redisSentinels, options.redisSentinels],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => Boolean(entry[1])));
}
