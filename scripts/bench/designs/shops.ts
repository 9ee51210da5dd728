// The shops the designs bench compares: one instance per session design and cart-write setting, and their Redis.
import type { Redis } from 'ioredis';
import { type CartInstance, type SessionMode, startCartInstance } from '../../process/cart-instance.ts';
import { hasRedisServer, type RedisServer, startRedisServer } from '../../process/redis-server.ts';

/** One design under test. */
export interface DesignShop {
  /** `memory atomic`, `redis whole-session`, `jwt token`, … */
  readonly label: string;
  readonly mode: SessionMode;
  readonly cartWrites: string;
  readonly instance: CartInstance;
}

/** The shops of a run, the Redis behind the redis ones, and a client to read its command counts. */
export interface DesignLab {
  shops: DesignShop[];
  redis: RedisServer | undefined;
  redisClient: Redis | undefined;
  /** Designs that could not run, and why. */
  skipped: { label: string; reason: string }[];
  close(): Promise<void>;
}

const designs: { mode: SessionMode; cartWrites: string }[] = [
  { mode: 'memory', cartWrites: 'atomic' },
  { mode: 'memory', cartWrites: 'whole-session' },
  { mode: 'redis', cartWrites: 'atomic' },
  { mode: 'redis', cartWrites: 'whole-session' },
  { mode: 'jwt', cartWrites: 'token' },
];

/** Starts Redis (without persistence: the store's CPU, not the disk's, is measured) and one instance per design. */
export async function startDesignLab(): Promise<DesignLab> {
  const skipped: DesignLab['skipped'] = [];
  const redis = hasRedisServer() ? await startRedisServer({ appendOnly: false }) : undefined;
  const shops: DesignShop[] = [];
  let redisClient: Redis | undefined;
  const close = async () => {
    await Promise.all(shops.map((shop) => shop.instance.child.stop()));
    redisClient?.disconnect();
    await redis?.close();
  };
  try {
    for (const design of designs) {
      const label = `${design.mode} ${design.cartWrites}`;
      if (design.mode === 'redis' && !redis) {
        skipped.push({ label, reason: 'redis-server is not on PATH (sudo apt-get install redis-server)' });
        continue;
      }
      const instance = await startCartInstance({
        mode: design.mode,
        id: `${design.mode}-${design.cartWrites}`,
        redisUrl: redis?.url,
        ...(design.mode === 'jwt' ? {} : { cartWrites: design.cartWrites }),
        env: { LOG_LEVEL: 'warn' },
      });
      shops.push({ label, ...design, instance });
    }
    if (redis) {
      const { Redis } = await import('ioredis');
      redisClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redisClient.connect();
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { shops, redis, redisClient, skipped, close };
}

/** Commands Redis has run so far, all kinds together (`INFO commandstats`). */
export async function redisCommandCount(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  let calls = 0;
  for (const match of info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) calls += Number(match[1]);
  return calls;
}
