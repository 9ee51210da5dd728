// One pool (ALB's target group): its targets, balancing algorithm, stickiness method and settings, changed only here.

import type { BalancingAlgorithm } from '../balancing/algorithm.ts';
import { createAlgorithm } from '../balancing/registry.ts';
import type { PoolConfig, PoolPatch } from '../config/schema.ts';
import { redispatchAwaiting } from '../forwarding/redispatch.ts';
import type { StickinessMethod } from '../stickiness/method.ts';
import { createStickiness, type StickinessOptions } from '../stickiness/registry.ts';
import type { FleetEvents } from './fleet-events.ts';
import { type LatencyRecorder, Target, type TargetConfig, type TargetHealth } from './target.ts';

/**
 * A connection slower than the health check's timeout counts as a dead target, but never under a second: on a
 * busy machine the proxy's own lag can hold a loopback connect for a few hundred milliseconds, and one passive
 * failure marks a target down at once (the sticky sessions on it then move, which a verdict must not blame on
 * the fault under test).
 */
const MIN_CONNECT_TIMEOUT_MS = 1_000;

/** What a pool needs from the proxy around it. */
export interface PoolEnvironment {
  events: FleetEvents;
  secret: string;
  /** Path of the rule leading to this pool: the default path of its cookie. */
  cookiePath: string;
  trustedProxies: ReadonlySet<string>;
  latencyRecorder(pool: string, target: string): LatencyRecorder;
}

/** The pool settings that are not targets. */
export type PoolSettings = Omit<PoolConfig, 'targets'>;

/** A target group and its routing state. */
export class Pool {
  readonly name: string;
  settings: PoolSettings;
  algorithm: BalancingAlgorithm;
  stickiness: StickinessMethod;
  /** Every target in declaration order; replaced (never mutated) on change so hashing methods can cache by identity. */
  targets: readonly Target[] = [];
  private readonly environment: PoolEnvironment;
  private readonly byId = new Map<string, Target>();
  private eligibleCache: readonly Target[] | undefined;
  private readonly drainTimers = new Map<Target, NodeJS.Timeout>();

  constructor(name: string, config: PoolConfig, environment: PoolEnvironment) {
    const { targets, ...settings } = config;
    this.name = name;
    this.settings = settings;
    this.environment = environment;
    this.algorithm = createAlgorithm(settings.algorithm);
    this.stickiness = this.createStickiness(settings.stickiness);
    for (const target of targets) this.insert(target);
  }

  /** The target with this id, if it belongs to the pool. */
  get(id: string): Target | undefined {
    return this.byId.get(id);
  }

  /** Targets that may take new sessions: healthy, not draining, weight above 0. Cached until the next change. */
  eligible(): readonly Target[] {
    this.eligibleCache ??= this.targets.filter(
      (target) => target.health === 'healthy' && target.drainingSince === undefined && target.weight > 0,
    );
    return this.eligibleCache;
  }

  /**
   * True while `target` may serve sessions already bound to it (a draining one only within the deregistration delay).
   */
  canServeBound(target: Target, now: number): boolean {
    if (target.health !== 'healthy' || target.removed) return false;
    return target.drainingSince === undefined || now - target.drainingSince < this.settings.deregistrationDelay;
  }

  /** Adds a target (scale-out); it takes traffic at once, as health checks start with it healthy. */
  add(config: TargetConfig): Target {
    const target = this.insert(config);
    this.environment.events.publish({
      type: 'target-added',
      at: Date.now(),
      pool: this.name,
      target: target.id,
      url: target.url.origin,
      weight: target.weight,
    });
    return target;
  }

  /** Removes a target (scale-in); requests in flight finish, then its sockets close. */
  remove(target: Target): void {
    this.stopDrainTimer(target);
    target.removed = true;
    this.byId.delete(target.id);
    this.targets = this.targets.filter((candidate) => candidate !== target);
    this.changed();
    target.releaseSocketsWhenIdle();
    this.environment.events.publish({ type: 'target-removed', at: Date.now(), pool: this.name, target: target.id });
  }

  /**
   * Records what checks or a failed connection said about `target`; requests it has not answered may move
   * (redispatch.ts).
   */
  setHealth(target: Target, health: TargetHealth, cause: string): void {
    if (target.health === health || target.removed) return;
    const from = target.state;
    target.health = health;
    this.changed();
    this.publishState(target, from, cause);
    if (health !== 'healthy') redispatchAwaiting(target, this.settings.retries, cause);
  }

  /** Starts draining: no new sessions now, none at all after the deregistration delay. */
  drain(target: Target): void {
    if (target.drainingSince !== undefined) return;
    const from = target.state;
    target.drainingSince = Date.now();
    this.changed();
    this.publishState(target, from, 'drain requested');
    const timer = setTimeout(() => {
      this.drainTimers.delete(target);
      this.environment.events.publish({ type: 'drained', at: Date.now(), pool: this.name, target: target.id });
    }, this.settings.deregistrationDelay);
    timer.unref();
    this.drainTimers.set(target, timer);
  }

  /** Ends a drain: the target takes new sessions again. */
  undrain(target: Target): void {
    if (target.drainingSince === undefined) return;
    this.stopDrainTimer(target);
    target.drainingSince = undefined;
    this.changed();
    this.publishState(target, 'draining', 'undrain requested');
  }

  /** Applies a checked patch; unknown target ids in `weights` must have been refused before. */
  reconfigure(patch: PoolPatch): string[] {
    const changes: string[] = [];
    if (patch.algorithm !== undefined) {
      this.settings.algorithm = patch.algorithm;
      this.algorithm = createAlgorithm(patch.algorithm);
      changes.push(`algorithm=${patch.algorithm}`);
    }
    if (patch.stickiness !== undefined) {
      this.settings.stickiness = patch.stickiness;
      this.stickiness = this.createStickiness(patch.stickiness);
      changes.push(`stickiness=${patch.stickiness.type}`);
    }
    if (patch.failover !== undefined) {
      this.settings.failover = patch.failover;
      changes.push(`failover=${patch.failover}`);
    }
    if (patch.retries !== undefined) {
      this.settings.retries = patch.retries;
      changes.push(`retries=${patch.retries.count}`);
    }
    if (patch.deregistrationDelay !== undefined) {
      this.settings.deregistrationDelay = patch.deregistrationDelay;
      changes.push(`deregistrationDelay=${patch.deregistrationDelay}ms`);
    }
    if (patch.healthCheck !== undefined) {
      // read by the health checks at their next round
      this.settings.healthCheck = { ...this.settings.healthCheck, ...patch.healthCheck };
      changes.push(...Object.entries(patch.healthCheck).map(([key, value]) => `healthCheck.${key}=${value}`));
    }
    if (patch.timeout !== undefined) {
      this.settings.timeout = patch.timeout;
      changes.push(`timeout=${patch.timeout}ms`);
    }
    for (const [id, weight] of Object.entries(patch.weights ?? {})) {
      const target = this.byId.get(id);
      if (target === undefined) continue;
      target.weight = weight;
      changes.push(`weight ${id}=${weight}`);
    }
    this.changed();
    this.environment.events.publish({ type: 'pool-changed', at: Date.now(), pool: this.name, changes });
    return changes;
  }

  /** Stops timers; the pool is not used afterwards. */
  close(): void {
    for (const timer of this.drainTimers.values()) clearTimeout(timer);
    this.drainTimers.clear();
    for (const target of this.targets) target.agent.destroy();
  }

  private insert(config: TargetConfig): Target {
    // A target that cannot even accept a connection within its health check's timeout is not there.
    const connectTimeout = () => Math.max(this.settings.healthCheck.timeout, MIN_CONNECT_TIMEOUT_MS);
    const target = new Target(
      config,
      this.name,
      this.environment.latencyRecorder(this.name, config.id),
      connectTimeout,
    );
    this.byId.set(target.id, target);
    this.targets = [...this.targets, target];
    this.changed();
    return target;
  }

  private createStickiness(options: StickinessOptions): StickinessMethod {
    const { secret, cookiePath, trustedProxies } = this.environment;
    return createStickiness(options, { pool: this, secret, defaultCookiePath: cookiePath, trustedProxies });
  }

  private changed(): void {
    this.eligibleCache = undefined;
  }

  private stopDrainTimer(target: Target): void {
    const timer = this.drainTimers.get(target);
    if (timer !== undefined) clearTimeout(timer);
    this.drainTimers.delete(target);
  }

  private publishState(target: Target, from: Target['state'], cause: string): void {
    if (from === target.state) return;
    this.environment.events.publish({
      type: 'state',
      at: Date.now(),
      pool: this.name,
      target: target.id,
      from,
      to: target.state,
      cause,
    });
  }
}
