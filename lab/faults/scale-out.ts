// `scale-out`: one more instance in a pool, which re-balances what a hash-based stickiness maps where.
import { driverOf, type Fault } from './fault.ts';

/** Starts one more instance of POOL and registers it with the proxy. */
export const scaleOut: Fault = {
  name: 'scale-out',
  target: 'pool',
  summary: 'start one more instance in POOL and register it with the proxy',
  done: 'added',
  native: 'the supervisor starts an instance on a free port and registers it through the admin API',
  compose: { does: 'starts the pool\u2019s extra service of the `scale` profile and registers it' },
  via: 'orchestrator',
  console: true,
  run: (hands, pool) => driverOf(hands).scale('out', pool),
};
