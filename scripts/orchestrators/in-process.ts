// The driver for a stack this process started itself (scenarios, tests, the supervisor): the same interface, no HTTP
// hop; its words come from the fault catalogue.
import type { ServiceStatus } from '../../contract/wire.ts';
import { faultCatalogue } from '../../lab/faults/catalogue.ts';
import type { NativeStack } from '../stack/native-stack.ts';
import type { ProcessAction } from '../stack/process-states.ts';
import type { OrchestratorDriver, RedisToxic } from './driver.ts';

/** Past tense of a catalogued fault, e.g. `crashed (SIGKILL)`. */
function done(name: string): string {
  return faultCatalogue.get(name)?.done ?? name;
}

/** What happened to a process, as `npm run fault` and the console say it. */
export function describeProcess(action: ProcessAction, status: ServiceStatus): string {
  const where = status.port ? ` (port ${status.port})` : '';
  return `${status.id} ${done(action)}${where}; now ${status.state}`;
}

/** What a slow, stall or heal did, as `npm run fault` says it; `now` is the toxic in force after it. */
export function describeToxic(toxic: RedisToxic | null, now: string): string {
  const fault = toxic === null ? 'heal' : toxic.name === 'latency' ? 'slow' : 'stall';
  const what =
    toxic === null
      ? 'Redis answers the redis shops at full speed again'
      : toxic.name === 'latency'
        ? `every Redis answer reaches the redis shops ${toxic.ms} ms late`
        : 'Redis answers the redis shops nothing; their connections stay open';
  return `redis ${done(fault)}: ${what} (toxic on the relay: ${now})`;
}

/** Drives a NativeStack object directly. */
export class InProcessDriver implements OrchestratorDriver {
  readonly name = 'native' as const;
  private readonly stack: NativeStack;

  constructor(stack: NativeStack) {
    this.stack = stack;
  }

  async act(action: ProcessAction, target: string): Promise<string> {
    const status = await this.stack.act(action, target);
    const primary = status.role ? `; the primary is ${this.stack.redisPrimaryId()}` : '';
    return `${describeProcess(action, status)}${primary}`;
  }

  async network(target: string, cut: boolean): Promise<string> {
    const status = this.stack.network(target, cut);
    return `${status.id} ${done(cut ? 'blackhole' : 'unblackhole')}`;
  }

  redisFailover(): Promise<string> {
    return this.stack.redisFailover();
  }

  async redisToxic(toxic: RedisToxic | null): Promise<string> {
    return describeToxic(toxic, this.stack.redisToxic(toxic));
  }

  async scale(direction: 'out' | 'in', pool: string): Promise<string> {
    if (direction === 'out') {
      const status = await this.stack.scaleOut(pool);
      return `${status.id} started on port ${status.port} and registered with the proxy in pool ${pool}`;
    }
    const status = await this.stack.scaleIn(pool);
    return `${status.id} removed from pool ${pool} and stopped`;
  }
}
