// The replicated Redis as the supervisor shows it and acts on it: each data server with its role, the Sentinels, and
// `redis-primary` resolved to whichever server the Sentinels name now.
import type { ServiceState, ServiceStatus } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import type { RedisReplication } from '../process/redis-replication.ts';
import type { RedisServer } from '../process/redis-server.ts';
import { waitUntil } from '../process/wait.ts';
import type { SupervisedProcess } from './process-states.ts';

/** The target that stands for whichever data server is primary now. */
export const REDIS_PRIMARY = 'redis-primary';

/** How long the Sentinels may take to agree on a new primary (down-after 1 s, then an election). */
const FAILOVER_TIMEOUT_MS = 30_000;

/** The rows, states and failovers of a replicated Redis; `redisShopsReady` waits for the shops to reconnect. */
export class ReplicatedRedisServices {
  private readonly replication: RedisReplication;
  private readonly redisShopsReady: () => Promise<void>;
  private readonly states: ServiceState[];
  private primaryPort: number;

  constructor(replication: RedisReplication, redisShopsReady: () => Promise<void>) {
    this.replication = replication;
    this.redisShopsReady = redisShopsReady;
    this.states = replication.servers.map(() => 'running');
    this.primaryPort = replication.servers[0]?.port ?? 0;
  }

  /** Asks the Sentinels who is primary now; keeps the last answer when none answers. */
  async refresh(): Promise<void> {
    try {
      this.primaryPort = (await this.replication.primary()).port;
    } catch {
      // every Sentinel down: the rows keep the primary they last named
    }
  }

  /** The id of the data server the Sentinels last named primary, e.g. `redis-node-2`. */
  primaryId(): string {
    return nodeId(this.replication.servers.findIndex((server) => server.port === this.primaryPort));
  }

  /** Whether the data server the Sentinels last named primary is running, as far as the supervisor knows. */
  primaryRunning(): boolean {
    const index = this.replication.servers.findIndex((server) => server.port === this.primaryPort);
    return this.states[index] === 'running';
  }

  /** Each data server with its role, then the Sentinels. */
  rows(): ServiceStatus[] {
    const servers = this.replication.servers.map(
      (server, index): ServiceStatus => ({
        id: nodeId(index),
        kind: 'redis',
        role: server.port === this.primaryPort ? 'primary' : 'replica',
        state: this.states[index] ?? 'unavailable',
        pid: server.child.pid,
        port: server.port,
        url: server.url,
      }),
    );
    const sentinels = this.replication.sentinels.map(
      (sentinel, index): ServiceStatus => ({
        id: `sentinel-${index + 1}`,
        kind: 'sentinel',
        state: sentinel.child.running ? 'running' : 'exited',
        pid: sentinel.child.pid,
        port: sentinel.port,
      }),
    );
    return [...servers, ...sentinels];
  }

  /** The data server id `target` names (`redis-primary` resolved now), or undefined when it names none. */
  async resolve(target: string): Promise<string | undefined> {
    if (target === REDIS_PRIMARY) {
      await this.refresh();
      return this.primaryId();
    }
    return this.rows().some((row) => row.id === target && row.kind === 'redis') ? target : undefined;
  }

  /** Whether `id` is the data server the Sentinels last named primary. */
  isPrimary(id: string): boolean {
    return id === this.primaryId();
  }

  /** The data server `id` as the process state machine sees it. */
  supervised(id: string): SupervisedProcess {
    const index = Number(id.replace('redis-node-', '')) - 1;
    const server = this.replication.servers[index] as RedisServer;
    const states = this.states;
    return {
      id,
      get state() {
        return states[index] ?? 'unavailable';
      },
      set state(state: ServiceState) {
        states[index] = state;
      },
      kill: () => server.kill(),
      stop: async () => {
        await server.child.stop();
      },
      start: () => server.start(),
      pause: () => server.child.pause(),
      resume: async () => {
        server.child.resume();
      },
    };
  }

  /**
   * Waits until the Sentinels name a primary other than `formerId` (after it died or a manual failover), then for the
   * redis shops to reconnect; resolves with the new primary's id.
   */
  async waitForNewPrimary(formerId: string): Promise<string> {
    await waitUntil(
      async () => {
        await this.refresh();
        return this.primaryId() !== formerId;
      },
      `the Sentinels to promote a replica in place of ${formerId}`,
      { timeoutMs: FAILOVER_TIMEOUT_MS, intervalMs: 100 },
    );
    // the next failover needs every running replica known to the Sentinels and following the new primary
    const followers = this.replication.servers.filter(
      (server, index) => server.port !== this.primaryPort && this.states[index] === 'running',
    );
    await waitUntil(
      async () => {
        const views = await this.replication.replicaViews();
        return followers.every((server) =>
          views.some((view) => view.port === server.port && view.flags === 'slave' && view.linkOk),
        );
      },
      `the replicas to follow ${this.primaryId()}`,
      { timeoutMs: FAILOVER_TIMEOUT_MS, intervalMs: 100 },
    );
    await this.redisShopsReady();
    return this.primaryId();
  }

  /** SENTINEL FAILOVER; resolves with what happened once the Sentinels name the new primary. */
  async failover(): Promise<string> {
    await this.refresh();
    const former = this.primaryId();
    try {
      await this.replication.failover();
    } catch (error) {
      throw new LabError('not_possible', `the Sentinels refused the failover: ${(error as Error).message}`);
    }
    const promoted = await this.waitForNewPrimary(former);
    return `redis failed over: ${promoted} is primary now, ${former} a replica`;
  }
}

/** `redis-node-1`, …: distinct from the redis shop's instances (`redis-1`, …). */
function nodeId(index: number): string {
  return `redis-node-${index + 1}`;
}
