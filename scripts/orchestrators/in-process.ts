// The driver for a stack this process started itself (scenarios, tests): the same interface, no HTTP hop.
import type { NativeStack, ProcessAction } from '../stack/native-stack.ts';
import { actionDone, type OrchestratorDriver } from './driver.ts';

/** Drives a NativeStack object directly. */
export class InProcessDriver implements OrchestratorDriver {
  readonly name = 'native' as const;
  private readonly stack: NativeStack;

  constructor(stack: NativeStack) {
    this.stack = stack;
  }

  async act(action: ProcessAction, target: string): Promise<string> {
    const status = await this.stack.act(action, target);
    return `${status.id} ${actionDone[action]}; now ${status.state}`;
  }

  async network(target: string, cut: boolean): Promise<string> {
    const status = this.stack.network(target, cut);
    return `${status.id} ${cut ? 'cut off the network (its packets are dropped)' : 'back on the network'}`;
  }

  async scale(direction: 'out' | 'in', pool: string): Promise<string> {
    const status = direction === 'out' ? await this.stack.scaleOut(pool) : await this.stack.scaleIn(pool);
    return `${status.id} ${direction === 'out' ? 'added to' : 'removed from'} pool ${pool}`;
  }
}
