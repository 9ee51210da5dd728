// One interface for whatever runs the lab's processes (native supervisor or Docker Compose), so faults work on both.
import type { Orchestrator } from '../../contract/wire.ts';
import type { ProcessAction } from '../stack/process-states.ts';

/** A toxic on the relay between the redis shops and Redis: answers `ms` late, or nothing forwarded at all. */
export type RedisToxic = { name: 'latency'; ms: number } | { name: 'stall' };

/** A replicated Redis whose replicas follow the primary through a relay, as the failover scenarios drive it. */
export interface LaggingReplication {
  /** Holds every change on its way to the replicas `ms` long, or lets them through at once again (`null`). */
  lag(ms: number | null): Promise<void>;
  /**
   * Kills (SIGKILL) the data server the Sentinels name primary now. What it sent that the replicas have not received
   * dies with it: the link holds everything from just before the kill, so a busy machine's late timers cannot deliver
   * it. Resolves with how long, at most, the link held before the kill landed (ms).
   */
  killPrimary(): Promise<number>;
  /** Sets every running Sentinel's failover timeout (a failed attempt is tried again after twice this). */
  setFailoverTimeout(ms: number): Promise<void>;
  /** What each running Sentinel says of the primary, for a report. */
  describe(): Promise<string>;
  /** Puts a running lab back as the scenario found it: the same primary, its replicas following it directly. */
  release(): Promise<void>;
}

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
  /**
   * Sends the replicas of a replicated Redis through a relay whose latency a scenario sets, where the orchestrator
   * can (Compose with compose.replicated.yaml); `release` puts the lab back.
   */
  laggingReplication?(): Promise<LaggingReplication>;
}
