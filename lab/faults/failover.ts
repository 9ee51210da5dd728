// `failover`: the switch an operator makes before maintenance, and what a shop must survive without a restart.
import { LabError } from '../errors.ts';
import { driverOf, type Fault } from './fault.ts';

/** SENTINEL FAILOVER on a replicated Redis (`npm run demo -- --redis replicated`, or compose.replicated.yaml). */
export const failover: Fault = {
  name: 'failover',
  target: 'redis',
  summary:
    'the Sentinels promote a replica of the replicated Redis (npm run demo -- --redis replicated, ' +
    'or compose.replicated.yaml)',
  done: 'failed over',
  native:
    'the supervisor sends SENTINEL FAILOVER and waits until the Sentinels name the new primary ' +
    'and the redis shops write to it',
  compose: {
    does:
      'with compose.replicated.yaml: docker compose exec into a Sentinel, SENTINEL FAILOVER, ' +
      'and waits until the Sentinels name the new primary',
    command: () => ['exec', '-T', 'redis-sentinel-1', 'redis-cli', '-p', '26379', 'SENTINEL', 'FAILOVER', 'cart'],
  },
  via: 'orchestrator',
  console: false,
  run: (hands, target) => {
    if (target !== 'redis') throw new LabError('unknown_target', `failover acts on "redis", not on "${target}"`);
    const driver = driverOf(hands);
    if (!driver.redisFailover) throw new LabError('fault_not_here', `the ${driver.name} lab runs no replicated Redis`);
    return driver.redisFailover();
  },
};
