// One interface for whatever runs the lab's processes (native supervisor or Docker Compose), so faults work on both.
import type { ProcessAction, ServiceStatus } from '../stack/native-stack.ts';

/** Runs process actions and scaling on the lab's services. */
export interface OrchestratorDriver {
  readonly name: 'native' | 'compose';
  /**
   * `crash`, `stop`, `start`, `restart`, `pause` or `resume` an instance id or `redis`; resolves with what happened.
   */
  act(action: ProcessAction, target: string): Promise<string>;
  /** Adds (`out`) or removes (`in`) one instance of `pool`; resolves with what happened. */
  scale(direction: 'out' | 'in', pool: string): Promise<string>;
  /** Cuts an instance off the network without a word (`cut`), or restores it; where the orchestrator can. */
  network?(target: string, cut: boolean): Promise<string>;
}

/** A refused or failed orchestrator call, worded for the person at the terminal. */
export class OrchestratorError extends Error {
  override name = 'OrchestratorError';
}

/** Past tense of each action, for messages. */
export const actionDone: Record<ProcessAction, string> = {
  crash: 'crashed (SIGKILL)',
  stop: 'stopped gracefully (SIGTERM)',
  start: 'started',
  restart: 'restarted',
  pause: 'paused (SIGSTOP: it hangs, holding its connections)',
  resume: 'resumed (SIGCONT)',
};

export type { ServiceStatus };
