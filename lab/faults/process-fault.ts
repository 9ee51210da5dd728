// The six faults that act on one process (crash, stop, start, restart, pause, resume) share their shape: a signal or
// a start for the native supervisor, one `docker compose` command under Compose.
import type { ProcessAction } from '../../scripts/stack/process-states.ts';
import { driverOf, type Fault } from './fault.ts';

/** What differs between the process faults. */
export interface ProcessFaultSpec {
  name: ProcessAction;
  summary: string;
  done: string;
  native: string;
  /** `docker compose` arguments before the service name, e.g. `['kill', '-s', 'SIGKILL']`. */
  compose: readonly string[];
}

/** A fault on an instance or Redis, offered by the console, possible under both orchestrators. */
export function processFault(spec: ProcessFaultSpec): Fault {
  return {
    name: spec.name,
    target: 'process',
    summary: spec.summary,
    done: spec.done,
    native: spec.native,
    compose: {
      does: `docker compose ${spec.compose.join(' ')} SERVICE`,
      command: (service) => [...spec.compose, service],
    },
    via: 'orchestrator',
    console: true,
    run: (hands, target) => driverOf(hands).act(spec.name, target),
  };
}
