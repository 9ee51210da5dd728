// The native lab stack's lifecycle: a private Redis, the shop instances of the topology and the lab proxy, each a
// supervised child process, started together and ended together.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CartWrites } from '../../apps/cart/config.ts';
import type { ServiceState, ServiceStatus, SessionMode } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import { LAB_ENV, type LabOptions, labEnv } from '../../lab/lab-options.ts';
import { checkConfig, loadConfig } from '../../proxy/config/load.ts';
import type { ProxyConfig } from '../../proxy/config/schema.ts';
import { ProxyAdmin } from '../lab-client/proxy-admin.ts';
import type { RedisToxic } from '../orchestrators/driver.ts';
import { blackhole, blackholeUnavailable, restore, restoreAll } from '../process/blackhole.ts';
import { type ProxyProcess, startProxyProcess } from '../process/proxy-process.ts';
import type { RedisReplication, RedisReplicationOptions } from '../process/redis-replication.ts';
import type { RedisServer } from '../process/redis-server.ts';
import { startInWaves } from '../process/start-in-waves.ts';
import { waitUntil } from '../process/wait.ts';
import type { TcpRelay } from '../relay/tcp-relay.ts';
import { forwardWarnings } from './child-log.ts';
import { applyAction, isAlive, type ProcessAction, type SupervisedProcess } from './process-states.ts';
import { type RawConfig, withExtraPools, writeProxyConfig } from './proxy-config.ts';
import { REDIS_PRIMARY, ReplicatedRedisServices } from './replicated-services.ts';
import { cartWritesOf, launchShop, type ShopRecord, shopRedisUrl, shopStatus } from './shop-instances.ts';
import { REDIS_MISSING, type StackRedis, startStackRedis } from './stack-redis.ts';
import { DEMO_CONFIG, type InstanceSpec, shopOfPool, topologyOf } from './topology.ts';

/** Why a replicated Redis's faults are refused on a single one. */
const SINGLE_REDIS =
  'this lab runs a single Redis ("redis"); redis-primary, redis-node-N and failover need ' +
  'npm run demo -- --redis replicated';

/** The toxic in force on `relay` in words: `none`, `latency 800 ms`, `stall`. */
export function describeToxics(relay: Pick<TcpRelay, 'toxics'>): string {
  const toxics = relay.toxics();
  const words = [...(toxics.latency ? [`latency ${toxics.latency.ms} ms`] : []), ...(toxics.stall ? ['stall'] : [])];
  return words.join(', ') || 'none';
}

/** How to start the stack. */
export interface NativeStackOptions {
  /** Proxy config that describes the topology (default: proxy/config/demo.yaml). */
  configPath?: string;
  /** `config`: the ports the config names (the demo); `free`: free ports everywhere (scenarios, tests). */
  ports?: 'config' | 'free';
  /** Override the proxy's public and control ports. */
  proxyPort?: number;
  controlPort?: number;
  /** Keep Redis data across a Redis restart (append-only file). Default true. */
  redisPersistence?: boolean;
  /** The shops reach Redis through a relay whose toxics (latency, stall) can be set at run time. Default false. */
  redisRelay?: boolean;
  /**
   * A replicated Redis (primary, replicas, three Sentinels) instead of one server; the shops find it through the
   * Sentinels.
   */
  redisReplication?: RedisReplicationOptions;
  /** Start only these pools' instances; the others stay in the proxy with no targets. */
  pools?: readonly string[];
  /**
   * Pools to add beside the config's, such as `redis-whole-session`: a copy of the mode's pool whose instances run
   * that cart-write setting, reached under `/redis-whole-session`, on free ports.
   */
  extraPools?: readonly string[];
  /** How the memory and redis shops write cart changes, unless their pool names a setting (default `atomic`). */
  cartWrites?: CartWrites;
  /** Extra environment for every shop instance (secrets, log level). */
  env?: Record<string, string>;
  /**
   * What the lab proxy tells tools and the console about this lab (orchestrator, supervisor URL and secret), handed to
   * it in its environment; default: a lab whose processes nobody here runs.
   */
  lab?: LabOptions;
  /** Top-level proxy settings that replace the file's, e.g. `{ trustedProxies: ['127.0.0.1'] }`. */
  proxyOverrides?: Record<string, unknown>;
  /** Pool settings that replace the file's in every pool, e.g. a faster `healthCheck`. */
  poolOverrides?: Record<string, unknown>;
  /** Receives the supervisor's messages and the warnings of its children. */
  log?: (line: string) => void;
}

/** A running native stack; every process it started is ended by `close`. */
export class NativeStack {
  readonly admin: ProxyAdmin;
  readonly proxy: ProxyProcess;
  private readonly apps: Map<string, ShopRecord>;
  private readonly redis: RedisServer | undefined;
  /** Between the shops and Redis when `redisRelay` was asked for. */
  readonly relay: TcpRelay | undefined;
  /** The replicated Redis when `redisReplication` was asked for (then there is no single `redis`). */
  readonly replication: RedisReplication | undefined;
  /** The replicated Redis's rows and faults (`redis-primary`, `redis-node-N`, `failover`). */
  private readonly replicated: ReplicatedRedisServices | undefined;
  private redisState: ServiceState;
  private readonly workDir: string;
  private readonly options: NativeStackOptions;
  private readonly rules: readonly { path: string; pool: string }[];
  private closing = false;

  private constructor(parts: {
    proxy: ProxyProcess;
    apps: Map<string, ShopRecord>;
    redis: RedisServer | undefined;
    relay: TcpRelay | undefined;
    replication: RedisReplication | undefined;
    redisState: ServiceState;
    workDir: string;
    options: NativeStackOptions;
    rules: readonly { path: string; pool: string }[];
  }) {
    this.proxy = parts.proxy;
    this.apps = parts.apps;
    this.redis = parts.redis;
    this.relay = parts.relay;
    this.replication = parts.replication;
    this.replicated = parts.replication
      ? new ReplicatedRedisServices(parts.replication, () => this.waitForRedisShops())
      : undefined;
    this.redisState = parts.redisState;
    this.workDir = parts.workDir;
    this.options = parts.options;
    this.rules = parts.rules;
    this.admin = new ProxyAdmin(parts.proxy.controlUrl);
    for (const record of this.apps.values()) this.watch(record);
  }

  /** Starts Redis, the instances and the proxy, and resolves once the proxy sees every instance healthy. */
  static async start(options: NativeStackOptions = {}): Promise<NativeStack> {
    const log = options.log ?? (() => {});
    const configPath = options.configPath ?? DEMO_CONFIG;
    loadConfig(configPath); // refuses a missing or wrong file with every problem listed
    const source = withExtraPools(parse(readFileSync(configPath, 'utf8')) as RawConfig, options.extraPools ?? []);
    const config = checkConfig(source, configPath);
    const topology = topologyOf(config);
    const wanted = topology.instances
      .filter((spec) => !options.pools || options.pools.includes(spec.pool))
      .map((spec) => ({ ...spec, cartWrites: cartWritesOf(spec, options.cartWrites) }));
    const workDir = mkdtempSync(join(tmpdir(), 'stickiness-lab-stack-'));
    // One set of secrets per stack, shared by its instances: what every instance of a real deployment must share.
    const secret = () => randomBytes(24).toString('base64url');
    options = {
      ...options,
      env: {
        SESSION_SECRET: process.env.SESSION_SECRET ?? secret(),
        JWT_SECRET: process.env.JWT_SECRET ?? secret(),
        ...options.env,
      },
    };
    const proxyEnv = {
      PROXY_COOKIE_SECRET: process.env.PROXY_COOKIE_SECRET ?? secret(),
      ...labEnv(options.lab ?? { orchestrator: null }),
    };
    const started: { stop(): Promise<unknown> }[] = [];
    try {
      const stackRedis: StackRedis = wanted.some((spec) => spec.mode === 'redis')
        ? await startStackRedis(
            {
              persistence: options.redisPersistence ?? true,
              relay: options.redisRelay ?? false,
              replication: options.redisReplication,
            },
            started,
            log,
          )
        : { state: 'unavailable', shopEnv: {} };
      const { server: redis, replication, relay, state: redisState } = stackRedis;
      options = { ...options, env: { ...options.env, ...stackRedis.shopEnv } };
      const redisUrl = shopRedisUrl(redis, relay);
      const runnable = wanted.filter((spec) => spec.mode !== 'redis' || redis || replication);
      const apps = new Map<string, ShopRecord>();
      await startInWaves(runnable, async (spec) => {
        const instance = await launchShop(
          spec,
          options.ports === 'free' ? 0 : spec.port,
          redisUrl,
          options.env ?? {},
          log,
        );
        started.push({ stop: () => instance.child.stop() });
        apps.set(spec.id, { spec, port: instance.port, instance, state: 'running' });
      });
      const proxyConfig = join(workDir, 'proxy.yaml');
      writeProxyConfig(source, proxyConfig, new Map([...apps].map(([id, record]) => [id, record.port])), options);
      const free = options.ports === 'free';
      const proxy = await startProxyProcess({
        entry: 'lab',
        configPath: proxyConfig,
        port: options.proxyPort ?? (free ? 0 : undefined),
        controlPort: options.controlPort ?? (free ? 0 : undefined),
        // where no supervisor reports the Redis servers, the console asks the Sentinels
        env: replication ? { ...proxyEnv, [LAB_ENV.redisSentinels]: replication.sentinelAddresses } : proxyEnv,
        onLine: (line) => forwardWarnings('proxy', line, log),
      });
      started.push({ stop: () => proxy.child.stop() });
      const stack = new NativeStack({
        proxy,
        apps,
        redis,
        relay,
        replication,
        redisState,
        workDir,
        options,
        rules: config.rules,
      });
      await stack.admin.waitForHealthy([...apps.keys()]);
      return stack;
    } catch (error) {
      await Promise.allSettled(started.map((service) => service.stop()));
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The stack's temporary directories (generated proxy config, Redis data); `close` removes them. */
  temporaryDirectories(): string[] {
    return [this.workDir, ...(this.redis ? [this.redis.dir] : [])];
  }

  /** The shop URL of a pool through the proxy, e.g. `http://127.0.0.1:8080/memory`. */
  shopUrl(pool: string): string {
    return `${this.proxy.url}${this.shopPath(pool)}`;
  }

  /** The path of the rule that leads to `pool`, e.g. `/memory`. */
  shopPath(pool: string): string {
    return this.rules.find((rule) => rule.pool === pool)?.path ?? `/${pool}`;
  }

  /** The checked proxy config the stack's proxy runs, with the targets' actual ports. */
  proxyConfig(): ProxyConfig {
    return loadConfig(join(this.workDir, 'proxy.yaml'));
  }

  /** Every process of the stack and its state. */
  services(): ServiceStatus[] {
    const rows: ServiceStatus[] = [
      {
        id: 'proxy',
        kind: 'proxy',
        state: this.proxy.child.running ? 'running' : 'exited',
        pid: this.proxy.child.pid,
        port: this.proxy.port,
        url: this.proxy.url,
      },
    ];
    if (this.redis || this.redisState === 'unavailable') {
      rows.push({
        id: 'redis',
        kind: 'redis',
        state: this.redisState,
        pid: this.redis?.child.pid,
        port: this.redis?.port,
        url: this.redis?.url,
        ...(this.relay && { toxic: describeToxics(this.relay) }),
      });
    }
    if (this.replicated) rows.push(...this.replicated.rows());
    for (const record of this.apps.values()) rows.push(shopStatus(record));
    return rows;
  }

  /** Asks the Sentinels of a replicated Redis who is primary now, so that `services()` shows it. */
  async refreshRedisRoles(): Promise<void> {
    await this.replicated?.refresh();
  }

  /** The id of the replicated Redis's primary (`redis-node-N`) as last seen; undefined for a single Redis. */
  redisPrimaryId(): string | undefined {
    return this.replicated?.primaryId();
  }

  /** SENTINEL FAILOVER on a replicated Redis; resolves with what happened once the Sentinels name the new primary. */
  async redisFailover(): Promise<string> {
    if (!this.replicated) throw new LabError('fault_not_here', SINGLE_REDIS);
    return this.replicated.failover();
  }

  /**
   * Puts `toxic` on the relay between the redis shops and a single Redis in place of any other, or lifts every toxic
   * (`null`); resolves with the toxic now in force, e.g. `latency 800 ms`.
   */
  redisToxic(toxic: RedisToxic | null): string {
    if (this.replicated) {
      throw new LabError(
        'fault_not_here',
        'slow, stall and heal act on a single Redis; this lab runs a replicated one',
      );
    }
    if (!this.relay) {
      throw new LabError(
        'fault_not_here',
        this.redis
          ? 'the redis shops of this lab reach Redis directly, without the relay that slow, stall and heal act on'
          : REDIS_MISSING,
      );
    }
    this.relay.clear();
    if (toxic?.name === 'latency') this.relay.set('latency', { ms: toxic.ms });
    else if (toxic) this.relay.set('stall');
    return describeToxics(this.relay);
  }

  /** Applies a process action to an instance id or `redis`; resolves once the process is in its new state. */
  async act(action: ProcessAction, target: string): Promise<ServiceStatus> {
    if (target === REDIS_PRIMARY || target.startsWith('redis-node-')) return this.actOnReplicated(action, target);
    if (target === 'redis' && this.replicated) {
      throw new LabError('unknown_target', 'this lab runs a replicated Redis: name redis-primary or redis-node-N');
    }
    if (target === 'redis') {
      await applyAction(this.supervisedRedis(), action);
      return this.services().find((row) => row.id === 'redis') as ServiceStatus;
    }
    const record = this.apps.get(target);
    if (!record) {
      const running = [...this.apps.keys(), ...(this.redis ? ['redis'] : [])].sort().join(', ');
      throw new LabError('unknown_target', `no service "${target}"; the stack runs ${running}`);
    }
    await applyAction(this.supervisedApp(record), action);
    return shopStatus(record);
  }

  /** A process action on a data server of the replicated Redis; a primary that goes down waits for its successor. */
  private async actOnReplicated(action: ProcessAction, target: string): Promise<ServiceStatus> {
    if (!this.replicated) throw new LabError('fault_not_here', SINGLE_REDIS);
    await this.replicated.refresh();
    const id = await this.replicated.resolve(target);
    if (!id) throw new LabError('unknown_target', `no Redis server "${target}"; name redis-primary or redis-node-N`);
    const wasPrimary = this.replicated.isPrimary(id);
    await applyAction(this.replicated.supervised(id), action);
    if (wasPrimary && (action === 'crash' || action === 'stop')) await this.replicated.waitForNewPrimary(id);
    else await this.replicated.refresh();
    return this.services().find((row) => row.id === id) as ServiceStatus;
  }

  /**
   * Cuts an instance off the network (`cut`) or restores it: its packets are dropped, so connecting hangs and answers
   * in
   * flight never arrive, as when a machine vanishes. Needs root and iptables.
   */
  network(target: string, cut: boolean): ServiceStatus {
    const record = this.apps.get(target);
    if (!record) throw new LabError('unknown_target', `no instance "${target}"`);
    const unavailable = blackholeUnavailable();
    if (unavailable) throw new LabError('not_possible', unavailable);
    if (cut) blackhole(record.port);
    else restore(record.port);
    return shopStatus(record);
  }

  /** Starts one more instance in `pool` on a free port and registers it with the proxy. */
  async scaleOut(pool: string): Promise<ServiceStatus> {
    const shop = this.shopOf(pool);
    if (shop.mode === 'redis' && !this.redis && !this.replication) throw new LabError('not_possible', REDIS_MISSING);
    const taken = new Set(this.apps.keys());
    let index = 1;
    while (taken.has(`${pool}-${index}`)) index += 1;
    const spec = { id: `${pool}-${index}`, pool, ...shop, port: 0 };
    const record: ShopRecord = {
      spec: { ...spec, cartWrites: cartWritesOf(spec, this.options.cartWrites) },
      port: 0,
      state: 'stopped',
    };
    await this.launch(record);
    this.apps.set(record.spec.id, record);
    await this.admin.addTarget(pool, { id: record.spec.id, url: `http://127.0.0.1:${record.port}` });
    await this.admin.waitForHealthy([record.spec.id]);
    return shopStatus(record);
  }

  /** Removes the newest instance of `pool` from the proxy and stops it gracefully. */
  async scaleIn(pool: string): Promise<ServiceStatus> {
    this.shopOf(pool);
    const members = [...this.apps.values()].filter((record) => record.spec.pool === pool);
    const record = members.at(-1);
    if (!record || members.length < 2) throw new LabError('not_possible', `pool "${pool}" keeps at least one instance`);
    await this.admin.removeTarget(record.spec.id);
    this.apps.delete(record.spec.id);
    if (isAlive(record.state)) {
      record.state = 'stopped';
      await record.instance?.child.stop();
    }
    return shopStatus(record);
  }

  /**
   * Ends every process (proxy first, so no request meets a half-stopped stack) and removes the temp files.
   * The grace periods add up to 4.5 s, so the whole stack is gone within the 5 s that Ctrl-C promises.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.proxy.child.stop(1_500);
    await Promise.allSettled([...this.apps.values()].map((record) => record.instance?.child.stop(2_000)));
    await this.relay?.close();
    await this.redis?.close(1_000);
    await this.replication?.close();
    restoreAll();
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Redis as the process state machine sees it. */
  private supervisedRedis(): SupervisedProcess {
    const redis = this.redis;
    if (!redis) throw new LabError('not_possible', REDIS_MISSING);
    const stack = this;
    return {
      id: 'redis',
      get state() {
        return stack.redisState;
      },
      set state(state: ServiceState) {
        stack.redisState = state;
      },
      kill: () => redis.kill(),
      stop: async () => {
        await redis.child.stop();
      },
      start: async () => {
        await redis.start();
        await this.waitForRedisShops();
      },
      pause: () => redis.child.pause(),
      resume: async () => {
        redis.child.resume();
        await this.waitForRedisShops();
      },
    };
  }

  /** A shop instance as the process state machine sees it. */
  private supervisedApp(record: ShopRecord): SupervisedProcess {
    return {
      id: record.spec.id,
      get state() {
        return record.state;
      },
      set state(state: ServiceState) {
        record.state = state;
      },
      kill: async () => {
        await record.instance?.child.kill();
      },
      stop: async () => {
        await record.instance?.child.stop();
      },
      start: () => this.launch(record),
      pause: async () => {
        await record.instance?.child.pause();
      },
      resume: async () => {
        record.instance?.child.resume();
      },
    };
  }

  // Redis counts as started once the redis shop can use it again: its instances reconnect on their own within half a
  // second.
  private async waitForRedisShops(): Promise<void> {
    const shops = [...this.apps.values()].filter(
      (record) => record.spec.mode === 'redis' && record.state === 'running' && record.instance,
    );
    await waitUntil(
      async () => {
        const stores = await Promise.all(
          shops.map(async (record) => {
            const answer = await fetch(`${record.instance?.origin}/healthz`, { signal: AbortSignal.timeout(1_000) });
            return ((await answer.json()) as { store?: string }).store;
          }),
        );
        return stores.every((store) => store === 'ok');
      },
      'the redis shop instances to reconnect to Redis',
      { timeoutMs: 5_000, intervalMs: 25 },
    );
  }

  // Killed, stopped, paused, behind a toxic relay (a new connection's handshake cannot finish inside the shop's
  // timeouts), or a primary that died and is not replaced yet: a shop started now could only wait for nothing.
  private redisReachable(): boolean {
    if (this.replicated) return this.replicated.primaryRunning();
    return this.redisState === 'running' && (!this.relay || describeToxics(this.relay) === 'none');
  }

  private async launch(record: ShopRecord): Promise<void> {
    const log = this.options.log ?? (() => {});
    const instance = await launchShop(
      record.spec,
      record.port,
      shopRedisUrl(this.redis, this.relay),
      this.options.env ?? {},
      log,
      !this.redisReachable(),
    );
    record.instance = instance;
    record.port = instance.port;
    record.state = 'running';
    this.watch(record);
  }

  // A process that ends without the supervisor asking is reported and left down, so its effect can be seen.
  private watch(record: ShopRecord): void {
    const child = record.instance?.child;
    void child?.exited.then((exit) => {
      if (record.instance?.child !== child || this.closing) return;
      if (isAlive(record.state)) {
        record.state = 'exited';
        this.options.log?.(
          `${record.spec.id} exited on its own (code ${exit.code}, signal ${exit.signal}); it stays down until started`,
        );
      }
    });
  }

  private shopOf(pool: string): { mode: SessionMode; cartWrites?: InstanceSpec['cartWrites'] } {
    const shop = this.rules.some((rule) => rule.pool === pool) ? shopOfPool(pool) : undefined;
    if (!shop) throw new LabError('unknown_pool', `no pool "${pool}"`);
    return shop;
  }
}
