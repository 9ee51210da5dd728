// How pools and targets look through the admin API: durations written back the way the config accepts them.
import type { PoolView, StickinessView, TargetView } from '../../contract/wire.ts';
import { formatDuration } from '../config/duration.ts';
import type { Pool } from '../pool/pool.ts';
import type { Target } from '../pool/target.ts';
import { stickinessView } from '../stickiness/registry.ts';

/** One row of `GET /api/targets`. */
export function targetView(target: Target, boundSessions?: number | null): TargetView {
  return { ...target.toJSON(), drainingSince: target.drainingSince ?? null, boundSessions: boundSessions ?? null };
}

/** One entry of `GET /api/pools`; its settings can be sent back in `PATCH /api/pools/:pool` unchanged. */
export function poolView(pool: Pool): PoolView {
  const settings = pool.settings;
  const bound = pool.stickiness.boundSessions(Date.now());
  return {
    name: pool.name,
    algorithm: settings.algorithm,
    stickiness: stickinessView(settings.stickiness) as StickinessView,
    failover: settings.failover,
    healthCheck: {
      ...settings.healthCheck,
      interval: formatDuration(settings.healthCheck.interval),
      timeout: formatDuration(settings.healthCheck.timeout),
    },
    retries: { ...settings.retries, within: formatDuration(settings.retries.within) },
    deregistrationDelay: formatDuration(settings.deregistrationDelay),
    timeout: formatDuration(settings.timeout),
    targets: pool.targets.map((target) => targetView(target, bound === undefined ? null : (bound.get(target.id) ?? 0))),
  };
}
