// One interface for whatever runs the lab's processes (native supervisor or Docker Compose), so faults work on both.
import type { Orchestrator } from '../../contract/wire.ts';
import type { ProcessAction } from '../stack/process-states.ts';

/** A toxic on the relay between the redis shops and Redis: answers `ms` late, or nothing forwarded at all. */
export type RedisToxic = { name: 'latency'; ms: number } | { name: 'stall' };

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
  /**
   * Puts `toxic` on the relay in front of Redis in place of any other, or lifts every toxic (`null`); where the lab
   * runs such a relay.
   */
  redisToxic?(toxic: RedisToxic | null): Promise<string>;
}
