// The shops the designs bench compares: one instance per session design and cart-write setting, and their Redis.
import { Redis } from 'ioredis';
import { type CartInstance, type SessionMode, startCartInstance } from '../../process/cart-instance.ts';
import { type RedisReplication, startRedisReplication } from '../../process/redis-replication.ts';
import { hasRedisServer, type RedisServer, startRedisServer } from '../../process/redis-server.ts';

/** The Redis a design keeps its sessions in: the processes whose CPU counts as the store's, and its primary. */
export interface DesignStore {
  /** redis-server processes: the single server, or the primary and its replica (replication is the store's work). */
  readonly pids: readonly number[];
  /** A client of the server the shop writes to, to read its command counts. */
  readonly client: Redis;
}

/** One design under test. */
export interface DesignShop {
  /** `memory atomic`, `redis whole-session`, `redis-replicated atomic+wait`, `jwt token`, … */
  readonly label: string;
  readonly mode: SessionMode;
  readonly cartWrites: string;
  readonly instance: CartInstance;
  /** Where its sessions live (redis designs). */
  readonly store: DesignStore | undefined;
}

/** The shops of a run. */
export interface DesignLab {
  shops: DesignShop[];
  /** Designs that could not run, and why. */
  skipped: { label: string; reason: string }[];
  close(): Promise<void>;
}

/** Which Redis a design uses: none, one server, or a primary with one replica behind three Sentinels. */
type StoreKind = 'none' | 'single' | 'replicated';

const designs: {
  label: string;
  mode: SessionMode;
  cartWrites: string;
  store: StoreKind;
  env?: Record<string, string>;
}[] = [
  { label: 'memory atomic', mode: 'memory', cartWrites: 'atomic', store: 'none' },
  { label: 'memory whole-session', mode: 'memory', cartWrites: 'whole-session', store: 'none' },
  { label: 'redis atomic', mode: 'redis', cartWrites: 'atomic', store: 'single' },
  { label: 'redis whole-session', mode: 'redis', cartWrites: 'whole-session', store: 'single' },
  { label: 'redis-replicated atomic', mode: 'redis', cartWrites: 'atomic', store: 'replicated' },
  // the failover remedy: a change is answered once a replica has it (WAIT 1)
  {
    label: 'redis-replicated atomic+wait',
    mode: 'redis',
    cartWrites: 'atomic',
    store: 'replicated',
    env: { REDIS_WAIT_REPLICAS: '1' },
  },
  { label: 'jwt token', mode: 'jwt', cartWrites: 'token', store: 'none' },
];

const NO_REDIS = 'redis-server is not on PATH (sudo apt-get install redis-server)';

/**
 * Starts the stores (without persistence: the store's CPU, not the disk's, is measured) and one instance per design.
 */
export async function startDesignLab(): Promise<DesignLab> {
  const skipped: DesignLab['skipped'] = [];
  const shops: DesignShop[] = [];
  const clients: Redis[] = [];
  let single: RedisServer | undefined;
  let replicated: RedisReplication | undefined;
  const close = async () => {
    await Promise.all(shops.map((shop) => shop.instance.child.stop()));
    for (const client of clients) client.disconnect();
    await Promise.all([single?.close(), replicated?.close()]);
  };
  const connect = async (url: string) => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    clients.push(client);
    await client.connect();
    return client;
  };
  try {
    let singleStore: DesignStore | undefined;
    let replicatedStore: DesignStore | undefined;
    if (hasRedisServer()) {
      single = await startRedisServer({ appendOnly: false });
      singleStore = { pids: [single.child.pid as number], client: await connect(single.url) };
      replicated = await startRedisReplication({ replicas: 1, appendOnly: false });
      const primary = await replicated.primary();
      replicatedStore = {
        pids: replicated.servers.map((server) => server.child.pid as number),
        client: await connect(primary.url),
      };
    }
    for (const design of designs) {
      const store =
        design.store === 'single' ? singleStore : design.store === 'replicated' ? replicatedStore : undefined;
      if (design.store !== 'none' && store === undefined) {
        skipped.push({ label: design.label, reason: NO_REDIS });
        continue;
      }
      const instance = await startCartInstance({
        mode: design.mode,
        id: design.label.replace(/[ +]/g, '-'),
        redisUrl: design.store === 'single' ? single?.url : undefined,
        ...(design.mode === 'jwt' ? {} : { cartWrites: design.cartWrites }),
        env: {
          LOG_LEVEL: 'warn',
          ...(design.store === 'replicated' && replicated ? { REDIS_SENTINELS: replicated.sentinelAddresses } : {}),
          ...design.env,
        },
      });
      shops.push({ label: design.label, mode: design.mode, cartWrites: design.cartWrites, instance, store });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { shops, skipped, close };
}

/** Commands Redis has run so far, all kinds together (`INFO commandstats`). */
export async function redisCommandCount(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  let calls = 0;
  for (const match of info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) calls += Number(match[1]);
  return calls;
}
