// The one interface every scenario implements, the lab it runs against, and the result row of docs/contract.md.
import type { LaggingReplication, OrchestratorDriver } from '../orchestrators/driver.ts';
import type { SessionMode } from '../process/cart-instance.ts';
import type { RedisReplicationOptions } from '../process/redis-replication.ts';
import type { ToxicName } from '../relay/toxics.ts';
import type { Balancer } from './balancers/balancer.ts';

/** `kept`: every cart intact; `lost`: one or more carts gone or changed; `failed`: the scenario could not run. */
export type Verdict = 'kept' | 'lost' | 'failed';

/** One row of the verdict table and of `--json` (docs/contract.md, "scenario JSON"). */
export interface ScenarioRow {
  name: string;
  mode: SessionMode;
  stickiness: string;
  verdict: Verdict;
  carts: { checked: number; kept: number; lost: number };
  /** `cut`: failed requests whose answer had begun when the instance died (included in `failed`). */
  requests: { total: number; failed: number; cut: number };
  seconds: number;
  notes: string;
  /** How the pool writes cart changes (`atomic`, `whole-session`, `token`), where the scenario is about that. */
  cartWrites?: string;
  /** Adds answered 200, how many of them the final carts lack, and cleared lines that came back (concurrent-tabs). */
  writes?: { acknowledged: number; lost: number; clearedLinesBack: number };
}

/** A row before the runner adds the scenario's name and duration. */
export type ScenarioOutcome = Omit<ScenarioRow, 'name' | 'seconds'>;

/** What a scenario acts on. */
export interface ScenarioLab {
  /** The load balancer in front of the shops. */
  balancer: Balancer;
  /** Whatever runs the processes. */
  driver: OrchestratorDriver;
  /** The shop of `pool` through the balancer, e.g. `http://127.0.0.1:40123/memory`. */
  shopUrl(pool: string): string;
  /**
   * Toxics between the shops and Redis (latency, stall): the relay of a stack started with `redisRelay`, or of a
   * running lab that has one (the demo with a single Redis, compose's `redis-relay`).
   */
  redisToxics?: RedisToxics;
  /**
   * The replicated Redis with a replication link the scenario can slow down: a stack's own (started with
   * `redisReplication`), or Compose's with compose.replicated.yaml.
   */
  laggingReplication?: LaggingReplication;
}

/** Sets the toxics between the shops and Redis; each resolves once the toxic is in force (or lifted). */
export interface RedisToxics {
  /** Puts the toxic `name` in force with `settings` in place of any other, e.g. `('latency', { ms: 800 })`. */
  set(name: ToxicName, settings?: { ms?: number }): Promise<void>;
  /** Lifts every toxic. */
  clear(): Promise<void>;
}

/** How the scenario's own stack must be started. */
export interface StackNeeds {
  /** Only these pools (default: all three). */
  pools?: SessionMode[];
  /** Redis keeps data across a restart (default true). */
  redisPersistence?: boolean;
  /** The proxy believes `X-Forwarded-For` from 127.0.0.1, so shoppers can stand for many client addresses. */
  clientAddresses?: boolean;
  /** Pools beside the three, such as `redis-whole-session` (a running lab is used with the pools it has). */
  extraPools?: string[];
  /** The shops reach Redis through a relay the scenario can slow or stall (a running lab only if it has one). */
  redisRelay?: boolean;
  /**
   * A replicated Redis behind Sentinels instead of one server, whose replication lags on purpose (a stack of its own,
   * or Compose with compose.replicated.yaml).
   */
  redisReplication?: RedisReplicationOptions;
  /** Settings for every shop instance, e.g. `{ REDIS_WAIT_REPLICAS: '1' }`. */
  shopEnv?: Record<string, string>;
}

/** One scripted experiment: a fault, shoppers, and what they observed. */
export interface Scenario {
  readonly name: string;
  /** One line for the table's legend and `--help`. */
  readonly summary: string;
  /** The modes whose rows the scenario reports (used for `failed` rows when it cannot run). */
  readonly modes: readonly SessionMode[];
  readonly stack?: StackNeeds;
  run(lab: ScenarioLab): Promise<ScenarioOutcome[]>;
}
