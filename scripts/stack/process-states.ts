// One state machine for every supervised process (a shop instance or Redis), so that a fault means the same on both.
import type { ServiceState } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';

/** What can be done to one process of the stack. */
export const processActions = ['crash', 'stop', 'start', 'restart', 'pause', 'resume'] as const;
/** One of the process actions. */
export type ProcessAction = (typeof processActions)[number];

/** A process the stack supervises: its state, and how to signal, stop and start it. */
export interface SupervisedProcess {
  readonly id: string;
  state: ServiceState;
  /** SIGKILL; resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM; resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again (a fresh process); resolves once it serves. */
  start(): Promise<void>;
  /** SIGSTOP; resolves once it is stopped. */
  pause(): Promise<void>;
  /** SIGCONT; resolves once it serves again. */
  resume(): Promise<void>;
}

/** Whether the process holds its port: running or paused. */
export function isAlive(state: ServiceState): boolean {
  return state === 'running' || state === 'paused';
}

/** Applies `action` to `process`, refusing what its state does not allow with a LabError `not_possible`. */
export async function applyAction(process: SupervisedProcess, action: ProcessAction): Promise<void> {
  const alive = isAlive(process.state);
  const refuse = (why: string) => new LabError('not_possible', `${process.id} ${why}`);
  switch (action) {
    case 'crash':
      if (!alive) throw refuse('is not running');
      process.state = 'crashed';
      await process.kill();
      return;
    case 'stop':
      if (!alive) throw refuse('is not running');
      process.state = 'stopped';
      await process.stop();
      return;
    case 'start':
      if (alive) throw refuse(`is already ${process.state}`);
      await process.start();
      process.state = 'running';
      return;
    case 'restart':
      if (alive) {
        process.state = 'stopped';
        await process.stop();
      }
      await process.start();
      process.state = 'running';
      return;
    case 'pause':
      if (process.state !== 'running') throw refuse(`is ${process.state}, not running`);
      await process.pause();
      process.state = 'paused';
      return;
    case 'resume':
      if (process.state !== 'paused') throw refuse(`is ${process.state}, not paused`);
      await process.resume();
      process.state = 'running';
      return;
  }
}
