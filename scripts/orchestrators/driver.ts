// One interface for whatever runs the lab's processes (native supervisor or Docker Compose), so faults work on both.
import type { Orchestrator } from '../../contract/wire.ts';
import type { ProcessAction } from '../stack/process-states.ts';

/** Runs process actions and scaling on the lab's services; failures are LabErrors. */
export interface OrchestratorDriver {
  readonly name: Orchestrator;
  /**
   * `crash`, `stop`, `start`, `restart`, `pause` or `resume` an instance id or `redis`; resolves with what happened.
   */
  act(action: ProcessAction, target: string): Promise<string>;
  /** Adds (`out`) or removes (`in`) one instance of `pool`; resolves with what happened. */
  scale(direction: 'out' | 'in', pool: string): Promise<string>;
  /** Cuts an instance off the network without a word (`cut`), or restores it; where the orchestrator can. */
  network?(target: string, cut: boolean): Promise<string>;
  /** Asks the Sentinels of a replicated Redis to promote a replica; where the orchestrator runs one. */
  redisFailover?(): Promise<string>;
}
