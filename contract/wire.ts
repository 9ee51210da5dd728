// The JSON shapes that cross a process or a browser boundary, declared once: the proxy, the lab and the console's
// browser modules (through JSDoc `import()` types) all read them from here.

/** The three session designs the lab compares. */
export const sessionModes = ['memory', 'redis', 'jwt'] as const;
/** One of the session designs. */
export type SessionMode = (typeof sessionModes)[number];

/** Who runs the lab's processes: the `npm run demo` supervisor or Docker Compose. */
export type Orchestrator = 'native' | 'compose';

/** The name the Sentinels of a replicated Redis know its primary by (`REDIS_MASTER_NAME`'s default). */
export const SENTINEL_MASTER_NAME = 'cart';

/** `GET /api/lab` on the control port: what tools and the console need to know about the lab around the proxy. */
export interface LabInfo {
  /** Null for a lab proxy whose processes nobody here runs. */
  orchestrator: Orchestrator | null;
  /** The native supervisor's API (`npm run demo` only). */
  supervisorUrl: string | null;
  /** The public listener as clients reach it. */
  publicUrl: string;
  /** Peers whose X-Forwarded-* the proxy believes: scenarios that play clients behind a front proxy need 127.0.0.1. */
  trustedProxies: string[];
}

/** A target's state as the proxy sees it. */
export type TargetState = 'healthy' | 'unhealthy' | 'draining' | 'down';

/** One row of `GET /api/targets`. */
export interface TargetView {
  id: string;
  pool: string;
  url: string;
  weight: number;
  state: TargetState;
  /** What the health checks say, draining aside. */
  health: 'healthy' | 'unhealthy' | 'down';
  inflight: number;
  requests: number;
  errors: number;
  drainingSince: number | null;
  /** Sessions bound to it under a sticky method; null without one. */
  boundSessions: number | null;
}

/** A pool's stickiness as `GET /api/pools` writes it back (durations as the config accepts them). */
export interface StickinessView {
  type: string;
  hash?: string;
  duration?: string;
  cookieName?: string;
}

/** One entry of `GET /api/pools`; its settings can be sent back in `PATCH /api/pools/:pool` unchanged. */
export interface PoolView {
  name: string;
  algorithm: string;
  stickiness: StickinessView;
  failover: string;
  healthCheck: {
    path: string;
    interval: string;
    timeout: string;
    healthyThreshold: number;
    unhealthyThreshold: number;
  };
  retries: { count: number; within: string };
  deregistrationDelay: string;
  timeout: string;
  targets: TargetView[];
}

/** What the supervisor knows of a process. `exited` means it ended on its own. */
export type ServiceState = 'running' | 'paused' | 'stopped' | 'crashed' | 'exited' | 'unavailable';

/** One row of the supervisor's service list (`GET /api/console/services`). */
export interface ServiceStatus {
  /** `proxy`, an instance id, `redis`; for a replicated Redis `redis-node-N` and `sentinel-N`. */
  id: string;
  kind: 'redis' | 'sentinel' | 'app' | 'proxy';
  /** A data server's role in a replicated Redis, as the Sentinels last named the primary; absent for a single Redis. */
  role?: 'primary' | 'replica';
  pool?: string;
  mode?: SessionMode;
  /** A shop's cart-write setting when its pool names one (`redis-whole-session`); otherwise the shop's default. */
  cartWrites?: string;
  state: ServiceState;
  pid?: number;
  port?: number;
  url?: string;
  /**
   * A single Redis behind the lab's relay: the toxic in force between the redis shops and it (`none`, `latency 800 ms`,
   * `stall`); absent where no relay runs.
   */
  toxic?: string;
}

/**
 * What TARGET a fault names: `process` an instance id, `redis`, or for a replicated Redis `redis-primary` or
 * `redis-node-N`; `instance` an instance id; `pool` a pool; `redis` the word `redis` (the Redis as a whole: failover,
 * slow, stall, heal).
 */
export type FaultTarget = 'process' | 'instance' | 'pool' | 'redis';

/** One fault of the catalogue as `GET /api/console/faults` lists it. */
export interface FaultEntry {
  name: string;
  target: FaultTarget;
  summary: string;
  /** The orchestrators under which the lab can inject it. */
  orchestrators: Orchestrator[];
  /** Whether the console offers it as a button. */
  console: boolean;
}

/** The answer to a fault, from the console's route and the supervisor alike. */
export interface FaultOutcome {
  /** What happened, in the words `npm run fault` prints. */
  message: string;
  /** The process afterwards, when a process was acted on. */
  service?: ServiceStatus;
}

/** One scenario of `GET /api/console/scenarios`. */
export interface ScenarioEntry {
  name: string;
  summary: string;
  modes: SessionMode[];
  /** It needs a stack of its own (a relay, replication, no persistence, or clients this lab does not trust). */
  ownStackOnly: boolean;
}

/** The scenario run the console asked for last (`GET /api/console/scenarios/run`); one runs at a time. */
export interface ScenarioRunView {
  name: string;
  /** `own`: on a fresh stack of its own; `this`: on this lab, so the console shows it live. */
  lab: 'own' | 'this';
  state: 'running' | 'done';
  startedAt: number;
  /** The verdict rows (docs/contract.md, "scenario JSON"). */
  rows: { name: string; mode: SessionMode; verdict: 'kept' | 'lost' | 'failed'; notes: string }[];
  /** The verdict table as `npm run scenario` prints it. */
  table: string;
  /** The runner's progress lines, the last few. */
  log: string[];
}
