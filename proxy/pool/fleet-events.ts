// The changes the rest of the proxy reacts to (status page, SSE, logs): one typed emitter for all pools.
import { EventEmitter } from 'node:events';
import type { TargetState } from './target.ts';

/**
 * Something changed in the fleet of pools and targets; `drained` means the deregistration delay is over and bound
 * sessions move.
 */
export type FleetEvent =
  | { type: 'state'; at: number; pool: string; target: string; from: TargetState; to: TargetState; cause: string }
  | { type: 'drained'; at: number; pool: string; target: string }
  | { type: 'target-added'; at: number; pool: string; target: string; url: string; weight: number }
  | { type: 'target-removed'; at: number; pool: string; target: string }
  | { type: 'pool-changed'; at: number; pool: string; changes: string[] };

/** Emits `change` with a FleetEvent. */
export class FleetEvents extends EventEmitter<{ change: [FleetEvent] }> {
  /** Emits one change. */
  publish(event: FleetEvent): void {
    this.emit('change', event);
  }
}
