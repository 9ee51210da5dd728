// `scale-in`: the newest instance of a pool leaves, the end of a `scale-out`.
import { driverOf, type Fault } from './fault.ts';

/** Deregisters the newest instance of POOL and stops it. */
export const scaleIn: Fault = {
  name: 'scale-in',
  target: 'pool',
  summary: 'deregister the newest instance of POOL and stop it',
  done: 'removed',
  native: 'the supervisor deregisters the newest instance and stops it gracefully',
  compose: { does: 'deregisters the extra service of the `scale` profile and stops it' },
  via: 'orchestrator',
  console: true,
  run: (hands, pool) => driverOf(hands).scale('in', pool),
};
