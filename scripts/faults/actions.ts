// The fault actions by name: process actions go to the orchestrator, drain and undrain to the proxy.
import type { ProxyAdmin } from '../lab/proxy-admin.ts';
import type { OrchestratorDriver } from '../orchestrators/driver.ts';
import { type ProcessAction, processActions } from '../stack/native-stack.ts';

/** What a fault action works with. */
export interface FaultContext {
  admin: ProxyAdmin;
  driver: OrchestratorDriver;
}

/** One fault action; `target` is an instance id, `redis`, or a pool for scaling. */
export interface FaultAction {
  readonly name: string;
  /** What TARGET names, for the usage text. */
  readonly target: 'instance' | 'pool';
  readonly summary: string;
  run(context: FaultContext, target: string): Promise<string>;
}

const summaries: Record<ProcessAction, string> = {
  crash: 'SIGKILL: the process dies at once, with every session it holds',
  stop: 'SIGTERM: a graceful stop that finishes requests in flight',
  start: 'start a stopped or crashed process again',
  restart: 'graceful stop, then start',
  pause: 'SIGSTOP: the process hangs (a GC pause, a stuck event loop)',
  resume: 'SIGCONT: a paused process continues',
};

const processFaults: FaultAction[] = processActions.map((action) => ({
  name: action,
  target: 'instance',
  summary: summaries[action],
  run: (context, target) => context.driver.act(action, target),
}));

const proxyFaults: FaultAction[] = [
  {
    name: 'drain',
    target: 'instance',
    summary: 'the proxy sends no new sessions to it; bound ones until the deregistration delay',
    async run({ admin }, target) {
      await admin.drain(target);
      return `${target} is draining: no new sessions, bound sessions until the pool's deregistrationDelay`;
    },
  },
  {
    name: 'undrain',
    target: 'instance',
    summary: 'the proxy takes it back into rotation',
    async run({ admin }, target) {
      await admin.undrain(target);
      return `${target} is back in rotation`;
    },
  },
  {
    name: 'scale-out',
    target: 'pool',
    summary: 'start one more instance in POOL and register it with the proxy',
    run: ({ driver }, pool) => driver.scale('out', pool),
  },
  {
    name: 'scale-in',
    target: 'pool',
    summary: 'deregister the newest instance of POOL and stop it',
    run: ({ driver }, pool) => driver.scale('in', pool),
  },
];

/** Every fault action, by name. */
export const faultActions: ReadonlyMap<string, FaultAction> = new Map(
  [...processFaults, ...proxyFaults].map((action) => [action.name, action]),
);
