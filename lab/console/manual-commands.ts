// What to type instead when the console cannot act itself: under Docker Compose (no Docker socket in the proxy's
// container) or for a lab proxy started by hand.
import type { LabInfo } from '../../contract/wire.ts';
import type { Fault } from '../faults/fault.ts';

/**
 * The commands that inject `fault` on `target` (an instance id, `redis`, or a pool) from the host's terminal: the
 * fault CLI, and the one `docker compose` command that does the same when there is one.
 */
export function manualCommands(lab: LabInfo, fault: Fault, target: string): string[] {
  if (lab.orchestrator !== 'compose' || !fault.compose) return [];
  // the fault CLI asks the Sentinels which service is primary when it acts; a docker command could only guess
  const command = target === 'redis-primary' ? undefined : fault.compose.command?.(target);
  const fallback = command ? [`docker compose ${command.join(' ')}`] : [];
  return [`npm run fault -- ${fault.name} ${target} --compose`, ...fallback];
}

const reasons = {
  compose: {
    faults:
      'The lab runs under Docker Compose and the proxy has no Docker socket: ' +
      'run this in a terminal on the host instead.',
    scenarios: 'The lab runs under Docker Compose: run scenarios in a terminal on the host.',
  },
  alone: {
    faults:
      'This proxy was not started by npm run demo, so no supervisor can act on its processes: ' +
      'stop and start them where you started them.',
    scenarios:
      'This proxy was not started by npm run demo: run scenarios in a terminal (each starts a stack of its own).',
  },
};

/** Why the console cannot run process `faults` or `scenarios` itself, and what to do instead. */
export function whyNotHere(lab: LabInfo, subject: 'faults' | 'scenarios'): string {
  return reasons[lab.orchestrator === 'compose' ? 'compose' : 'alone'][subject];
}
