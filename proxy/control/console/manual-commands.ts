// What to type instead when the console cannot act itself: under Docker Compose (no Docker socket in the proxy's
// container) or for a proxy started alone.
import type { LabInfo } from '../control-server.ts';

/** The actions the console offers on a process or a pool, named as `npm run fault` names them. */
export const processActions = ['crash', 'stop', 'start', 'restart', 'pause', 'resume'] as const;
/** One process action. */
export type ProcessAction = (typeof processActions)[number];
/** Scaling actions on a pool. */
export const scaleActions = ['scale-out', 'scale-in'] as const;
/** One scaling action. */
export type ScaleAction = (typeof scaleActions)[number];

// The Compose command that does what each fault does; none for scaling, which also registers the target with the proxy.
const composeCommands: Record<ProcessAction, string> = {
  crash: 'kill -s SIGKILL',
  stop: 'stop',
  start: 'start',
  restart: 'restart',
  pause: 'pause',
  resume: 'unpause',
};

/**
 * The commands that perform `action` on `target` (an instance id, `redis`, or a pool for scaling) from the host's
 * terminal.
 */
export function manualCommands(lab: LabInfo, action: ProcessAction | ScaleAction, target: string): string[] {
  if (lab.orchestrator !== 'compose') return [];
  const fault = `npm run fault -- ${action} ${target} --compose`;
  return action === 'scale-out' || action === 'scale-in'
    ? [fault]
    : [fault, `docker compose ${composeCommands[action]} ${target}`];
}

const reasons = {
  compose: {
    faults:
      'The lab runs under Docker Compose and the proxy has no Docker socket: run this in a terminal on the host instead.',
    scenarios: 'The lab runs under Docker Compose: run scenarios in a terminal on the host.',
  },
  alone: {
    faults:
      'This proxy was not started by npm run demo, so no supervisor can act on its processes: stop and start them where you started them.',
    scenarios:
      'This proxy was not started by npm run demo: run scenarios in a terminal (each starts a stack of its own).',
  },
};

/** Why the console cannot run process `faults` or `scenarios` itself, and what to do instead. */
export function whyNotHere(lab: LabInfo, subject: 'faults' | 'scenarios'): string {
  return reasons[lab.orchestrator === 'compose' ? 'compose' : 'alone'][subject];
}
