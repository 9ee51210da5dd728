// One backend of a pool: its address, keep-alive agent, health, drain state and counters.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProxyTarget } from 'http-proxy-3';
import { AwaitingAnswers } from './awaiting-answers.ts';

/** The error code of a connection to a target that was not established in time (nothing was sent on it). */
export const CONNECT_TIMEOUT = 'CONNECT_TIMEOUT';

/** What health checks and passive failures say about a target. */
export type TargetHealth = 'healthy' | 'unhealthy' | 'down';

/** The state shown by the admin API: draining wins over health while a drain is on. */
export type TargetState = TargetHealth | 'draining';

/** Records request latencies for one target (a pre-bound histogram child). */
export interface LatencyRecorder {
  observe(seconds: number): void;
}

/** The options http-proxy-3 needs to forward to a target; built once per target, not per request. */
export interface ForwardOptions {
  target: ProxyTarget;
  agent: http.Agent;
  prependPath: boolean;
  toProxy: boolean;
}

/** How a target is declared in the config or the admin API. */
export interface TargetConfig {
  id: string;
  url: string;
  weight: number;
}

/** A backend the proxy forwards to. State changes go through its pool, which keeps caches and events right. */
export class Target {
  readonly id: string;
  readonly pool: string;
  readonly url: URL;
  readonly agent: http.Agent;
  readonly forwardOptions: ForwardOptions;
  readonly latency: LatencyRecorder;
  weight: number;
  health: TargetHealth = 'healthy';
  /** When the drain began (ms since epoch), or undefined when not draining. */
  drainingSince: number | undefined = undefined;
  removed = false;
  inflight = 0;
  requests = 0;
  /** 5xx answers and failed forwards. */
  errors = 0;
  /**
   * Attempts sent to this target that have no answer yet and could be sent again elsewhere (idempotent, body
   * kept): the forwarder keeps it, and moves them when the target leaves service.
   */
  readonly awaitingAnswer = new AwaitingAnswers();

  /**
   * `connectTimeout()`: how long a new connection may take, read when one is opened (the pool's settings can change).
   */
  constructor(config: TargetConfig, pool: string, latency: LatencyRecorder, connectTimeout: () => number) {
    this.id = config.id;
    this.pool = pool;
    this.url = new URL(config.url);
    this.weight = config.weight;
    this.latency = latency;
    this.agent = new TargetAgent(connectTimeout);
    this.forwardOptions = forwardOptions(this.url, this.agent);
  }

  /** The state reported by the admin API and metrics. */
  get state(): TargetState {
    return this.drainingSince === undefined ? this.health : 'draining';
  }

  /** The admin API's view of the target. */
  toJSON(): {
    id: string;
    pool: string;
    url: string;
    weight: number;
    state: TargetState;
    health: TargetHealth;
    inflight: number;
    requests: number;
    errors: number;
  } {
    return {
      id: this.id,
      pool: this.pool,
      url: this.url.origin,
      weight: this.weight,
      state: this.state,
      health: this.health,
      inflight: this.inflight,
      requests: this.requests,
      errors: this.errors,
    };
  }

  /** Closes the keep-alive sockets once nothing is in flight any more. */
  releaseSocketsWhenIdle(): void {
    if (this.inflight === 0) this.agent.destroy();
  }
}

/**
 * Keep-alive sockets to one target, and a connect timeout: a target whose address vanished (a killed container)
 * answers a connection attempt with nothing at all, not a refusal, and without a limit of its own the attempt
 * would wait for the pool's whole timeout before it could be tried elsewhere.
 */
class TargetAgent extends http.Agent {
  private readonly connectTimeout: () => number;

  constructor(connectTimeout: () => number) {
    // Idle sockets close before the backend's keep-alive timeout (Node's default is 5 s), so a request
    // never races a backend that is closing the socket it was given.
    super({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, timeout: 4_000, scheduling: 'lifo' });
    this.connectTimeout = connectTimeout;
  }

  /** A new connection, ended with a CONNECT_TIMEOUT error unless it is established within the connect timeout. */
  override createConnection(options: http.ClientRequestArgs): Duplex {
    const socket = net.createConnection(options as net.NetConnectOpts);
    const limit = this.connectTimeout();
    // Checked after the event loop's next I/O poll: a proxy that was itself too busy to see the connection
    // complete must not blame the target for it.
    const giveUp = () => {
      if (socket.connecting)
        socket.destroy(
          Object.assign(new Error(`no connection to the target within ${limit} ms`), { code: CONNECT_TIMEOUT }),
        );
    };
    const timer = setTimeout(() => setImmediate(giveUp), limit);
    timer.unref();
    const stop = () => clearTimeout(timer);
    socket.once('connect', stop);
    socket.once('close', stop);
    return socket;
  }
}

/**
 * http-proxy-3 reads a URL target through URL getters and parses both the target's path and the request's
 * path with `new URL` on every request. A target at the root needs neither: a plain object, no path to
 * prepend, and `toProxy`, which passes `req.url` on as it came (origin-form: the public server routes
 * nothing else). A target with a path of its own keeps the general way.
 */
function forwardOptions(url: URL, agent: http.Agent): ForwardOptions {
  if (url.pathname !== '/' || url.search !== '') return { target: url, agent, prependPath: true, toProxy: false };
  const target = {
    protocol: url.protocol,
    host: url.hostname,
    hostname: url.hostname,
    port: Number(url.port || 80),
    href: url.origin,
  };
  return { target, agent, prependPath: false, toProxy: true };
}
