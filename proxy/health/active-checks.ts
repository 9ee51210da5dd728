// Active health checks per pool (ALB's interval, timeout and thresholds): they mark targets unhealthy or down, and
// bring them back.
import type http from 'node:http';
import type { Fleet } from '../pool/fleet.ts';
import type { Pool } from '../pool/pool.ts';
import type { Target } from '../pool/target.ts';
import { healthCheckAgent, type ProbeResult, probe } from './probe.ts';

interface Streak {
  ok: number;
  failed: number;
  running: boolean;
  /** The health seen by the previous check, to notice that passive health marked the target down in between. */
  wasHealthy: boolean;
  /** The target's health checks keep their connection here between checks. */
  agent: http.Agent;
}

/**
 * Probes every target of every pool at the pool's interval. A target needs `healthyThreshold`
 * successes in a row to (re)turn healthy and `unhealthyThreshold` failures to leave it: `down`
 * when refused (the process is gone), `unhealthy` when it answers wrongly or not in time. A target
 * that passive health marked down starts from zero successes.
 */
export class ActiveHealthChecks {
  private readonly fleet: Fleet;
  private readonly streaks = new WeakMap<Target, Streak>();
  private readonly timers = new Map<Pool, NodeJS.Timeout>();
  private readonly agents = new Set<http.Agent>();

  constructor(fleet: Fleet) {
    this.fleet = fleet;
  }

  /** Starts checking every pool; the first round runs at once. */
  start(): void {
    for (const pool of this.fleet.pools.values()) this.schedule(pool, 0);
  }

  /** Stops every timer; checks in flight finish on their own. */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const agent of this.agents) agent.destroy();
    this.agents.clear();
  }

  private schedule(pool: Pool, delayMs: number): void {
    const timer = setTimeout(() => {
      for (const target of pool.targets) void this.check(pool, target);
      if (this.timers.has(pool)) this.schedule(pool, pool.settings.healthCheck.interval);
    }, delayMs);
    timer.unref();
    this.timers.set(pool, timer);
  }

  private async check(pool: Pool, target: Target): Promise<void> {
    const streak = this.streakOf(target);
    if (streak.running) return;
    streak.running = true;
    if (streak.wasHealthy && target.health !== 'healthy') streak.ok = 0;
    const settings = pool.settings.healthCheck;
    let result: ProbeResult;
    try {
      result = await probe(target, settings.path, settings.timeout, streak.agent);
    } finally {
      streak.running = false;
    }
    if (target.removed) {
      streak.agent.destroy();
      this.agents.delete(streak.agent);
      return;
    }
    this.judge(pool, target, streak, result);
    streak.wasHealthy = target.health === 'healthy';
  }

  private judge(pool: Pool, target: Target, streak: Streak, result: ProbeResult): void {
    const settings = pool.settings.healthCheck;
    if (result === 'ok') {
      streak.ok++;
      streak.failed = 0;
      if (target.health !== 'healthy' && streak.ok >= settings.healthyThreshold) {
        pool.setHealth(target, 'healthy', `${streak.ok} health checks passed`);
      }
      return;
    }
    streak.failed++;
    streak.ok = 0;
    const verdict = result === 'refused' ? 'down' : 'unhealthy';
    if (target.health === 'healthy' ? streak.failed >= settings.unhealthyThreshold : target.health !== verdict) {
      pool.setHealth(
        target,
        verdict,
        `${streak.failed} health checks failed ` +
          `(${result === 'refused' ? 'connection refused' : 'bad answer or timeout'})`,
      );
    }
  }

  private streakOf(target: Target): Streak {
    let streak = this.streaks.get(target);
    if (streak === undefined) {
      streak = { ok: 0, failed: 0, running: false, wasHealthy: true, agent: healthCheckAgent() };
      this.agents.add(streak.agent);
      this.streaks.set(target, streak);
    }
    return streak;
  }
}
