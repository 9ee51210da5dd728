// The cart instance's settings, from command-line flags over environment variables, checked by one schema.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SENTINEL_MASTER_NAME, type SessionMode, sessionModes } from '../../contract/wire.ts';

export { type SessionMode, sessionModes };

/**
 * How the memory and redis designs write a cart change (docs/scenarios.md, "concurrent-tabs"): `atomic` applies each
 * change to the latest stored cart and never loses an acknowledged one; `whole-session` is express-session's own
 * load-then-save of the whole session, where the last save wins: the lost-update lesson.
 */
export const cartWritesSettings = ['atomic', 'whole-session'] as const;
/** One of the cart-write settings. */
export type CartWrites = (typeof cartWritesSettings)[number];

/** Secrets shipped for the demo; an instance using them says so at start. */
export const DEMO_SESSION_SECRET = 'demo-session-secret-change-me';
export const DEMO_JWT_SECRET = 'demo-jwt-secret-change-me';

/** The schema with its documented defaults (see README, "Running one instance"). */
export const configSchema = z
  .object({
    mode: z.enum(sessionModes),
    port: z.coerce.number().int().min(0).max(65_535).default(3000),
    host: z.string().min(1).default('0.0.0.0'),
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64')
      .optional(),
    basePath: z
      .string()
      .regex(/^\/[A-Za-z0-9._-]+$/, 'one path segment such as /memory')
      .optional(),
    redisUrl: z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }).default('redis://127.0.0.1:6379'),
    sessionSecret: z.string().min(16, 'at least 16 characters').default(DEMO_SESSION_SECRET),
    jwtSecret: z.string().min(16, 'at least 16 characters').default(DEMO_JWT_SECRET),
    /**
     * `host:port,host:port,…` of Redis Sentinels; when set, the redis design asks them for the primary instead of
     * `redisUrl`.
     */
    redisSentinels: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, 'host:port pairs separated by commas')
      .transform((list) =>
        list.split(',').map((pair) => ({
          host: pair.slice(0, pair.lastIndexOf(':')),
          port: Number(pair.slice(pair.lastIndexOf(':') + 1)),
        })),
      )
      .optional(),
    /**
     * Replicas that must confirm a cart change before it is acknowledged (Redis `WAIT`); 0 answers as soon as the
     * primary has it.
     */
    redisWaitReplicas: z.coerce.number().int().min(0).max(5).default(0),
    redisMasterName: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-"')
      .default(SENTINEL_MASTER_NAME),
    cartWrites: z.enum(cartWritesSettings).default('atomic'),
    sessionTtlSeconds: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(86_400),
    trustProxy: z.string().default('loopback, linklocal, uniquelocal'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .transform((config) => ({
    ...config,
    id: config.id ?? `${config.mode}-${process.pid}`,
    basePath: config.basePath ?? `/${config.mode}`,
  }));

/** Settings of one running instance. */
export type CartConfig = z.infer<typeof configSchema>;

/** Thrown for bad flags or settings; the message lists every problem. */
export class ShopConfigError extends Error {
  override name = 'ShopConfigError';
}

/** Reads flags (`--mode memory --port 3001 …`) over environment variables (`SESSION_MODE`, `PORT`, …). */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): CartConfig {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        mode: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        id: { type: 'string' },
        'base-path': { type: 'string' },
        'redis-url': { type: 'string' },
        'cart-writes': { type: 'string' },
        'redis-sentinels': { type: 'string' },
        'redis-wait-replicas': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new ShopConfigError(error instanceof Error ? error.message : String(error));
  }
  const raw = {
    mode: values.mode ?? env.SESSION_MODE,
    port: values.port ?? env.PORT,
    host: values.host ?? env.HOST,
    id: values.id ?? env.INSTANCE_ID,
    basePath: values['base-path'] ?? env.BASE_PATH,
    redisUrl: values['redis-url'] ?? env.REDIS_URL,
    cartWrites: values['cart-writes'] ?? env.CART_WRITES,
    redisSentinels: values['redis-sentinels'] ?? env.REDIS_SENTINELS,
    redisMasterName: env.REDIS_MASTER_NAME,
    redisWaitReplicas: values['redis-wait-replicas'] ?? env.REDIS_WAIT_REPLICAS,
    sessionSecret: env.SESSION_SECRET,
    jwtSecret: env.JWT_SECRET,
    sessionTtlSeconds: env.SESSION_TTL_SECONDS,
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new ShopConfigError(`invalid settings:\n${problems.join('\n')}`);
  }
  return parsed.data;
}
