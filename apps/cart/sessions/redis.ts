// The shared-store design: every instance reads carts from one Redis, so any instance can serve any shopper.
import type { Logger } from 'pino';
import type { CartConfig } from '../config.ts';
import type { SessionDesign } from './design.ts';
import { expressSessionDesign } from './express-session-design.ts';
import { redisCartHash } from './redis-cart-hash.ts';

const SESSION_PREFIX = 'cart-session:';

// Every store call is bounded so that a dead or hung Redis turns into a quick 503, never a hanging request.
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 500;
const MAX_RECONNECT_DELAY_MS = 500;
const REVIVE_DELAY_MS = 50;

/**
 * Carts in Redis through connect-redis and ioredis; fails fast while Redis is away and recovers on its own. With
 * atomic cart writes (the default) the lines live in a hash of their own, changed by scripts; with whole-session
 * writes they live in the session record and the last save wins.
 */
export async function redisDesign(config: CartConfig, logger: Logger): Promise<SessionDesign> {
  // Loaded here rather than at the top: memory and jwt instances then never pay for the Redis client at start.
  const [{ Redis }, { RedisStore }] = await Promise.all([import('ioredis'), import('connect-redis')]);
  const bounded = {
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt: number) => Math.min(50 * attempt, MAX_RECONNECT_DELAY_MS),
    lazyConnect: false,
  };
  // With Sentinels the client asks them for the primary on every (re)connect, and follows a failover by itself.
  const client = config.redisSentinels
    ? new Redis({
        ...bounded,
        sentinels: config.redisSentinels,
        name: config.redisMasterName,
        role: 'master',
        sentinelRetryStrategy: (attempt: number) => Math.min(50 * attempt, MAX_RECONNECT_DELAY_MS),
        // A Sentinel that accepts the connection and never answers (paused, half-dead) must not hold up the others.
        sentinelCommandTimeout: COMMAND_TIMEOUT_MS,
        failoverDetector: true,
      })
    : new Redis(config.redisUrl, bounded);
  const where = config.redisSentinels
    ? `sentinels ${config.redisSentinels.map(({ host, port }) => `${host}:${port}`).join(',')} ` +
      `(${config.redisMasterName})`
    : config.redisUrl;

  // One line per state change, not one per failed reconnect attempt.
  let reported: 'up' | 'down' | undefined;
  client.on('ready', () => {
    if (reported !== 'up') logger.info({ redis: where }, 'session store connected');
    reported = 'up';
  });
  client.on('error', (error: Error) => {
    if (reported !== 'down') logger.warn({ redis: where, err: error.message }, 'session store unreachable');
    reported = 'down';
  });
  // ioredis gives up for good (status "end") when a Sentinel's failover notice arrives while it is still asking a
  // Sentinel for the primary: it takes the notice for a deliberate disconnect. Only close() may end this client.
  let closing = false;
  let revival: NodeJS.Timeout | undefined;
  client.on('end', () => {
    if (closing) return;
    logger.warn({ redis: where }, 'session store client stopped reconnecting; starting it again');
    revival = setTimeout(() => {
      revival = undefined;
      if (!closing) client.connect().catch(() => undefined);
    }, REVIVE_DELAY_MS);
  });

  return expressSessionDesign({
    mode: 'redis',
    store: new RedisStore({
      client,
      prefix: SESSION_PREFIX,
      ttl: config.sessionTtlSeconds,
      // A touch after the response has gone out can only fail invisibly; carts are re-saved on every change anyway.
      disableTouch: true,
    }),
    cookieName: 'cart_redis_sid',
    secret: config.sessionSecret,
    basePath: config.basePath,
    ttlSeconds: config.sessionTtlSeconds,
    cartWrites: config.cartWrites,
    atomicOperations: redisCartHash(client, {
      sessionPrefix: SESSION_PREFIX,
      ttlSeconds: config.sessionTtlSeconds,
      waitReplicas: config.redisWaitReplicas,
    }),
    ready: (timeoutMs) =>
      new Promise<void>((resolve) => {
        if (client.status === 'ready') return resolve();
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          client.off('ready', done);
          resolve();
        }
        client.once('ready', done);
      }),
    storeStatus: () => (client.status === 'ready' ? 'ok' : 'unavailable'),
    close: async () => {
      closing = true;
      clearTimeout(revival);
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  });
}
