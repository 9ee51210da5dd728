// What one fault of the catalogue is: its name, what it does in each orchestrator, its words, and how it runs.
import type { FaultEntry, FaultTarget, Orchestrator } from '../../contract/wire.ts';
import type { OrchestratorDriver, RedisToxic } from '../../scripts/orchestrators/driver.ts';
import { LabError } from '../errors.ts';

/** What the proxy does for a fault, the same under every orchestrator (the admin API, or the fleet in process). */
export interface ProxyHands {
  /** Drains target `id`; resolves with its pool's deregistration delay, e.g. `5s`. */
  drain(id: string): Promise<string>;
  /** Takes target `id` back into rotation. */
  undrain(id: string): Promise<void>;
}

/** What a fault acts with. */
export interface FaultHands {
  proxy: ProxyHands;
  /** Whatever runs the lab's processes; absent for a proxy that nobody here runs. */
  driver?: OrchestratorDriver;
}

/** Settings a fault may take beside its target (`npm run fault -- slow redis --ms 800`). */
export interface FaultSettings {
  /** How late Redis answers, for `slow`. */
  ms?: number;
}

/** One fault: one file under lab/faults/, registered in catalogue.ts. */
export interface Fault {
  readonly name: string;
  readonly target: FaultTarget;
  /** One line for the CLI's usage and the console's button title. */
  readonly summary: string;
  /** Past tense for what happened, e.g. `crashed (SIGKILL)`. */
  readonly done: string;
  /** What it does in the native lab (`npm run demo`); absent: it cannot be done there. */
  readonly native?: string;
  /** What it does under Docker Compose; absent: it cannot be done there. */
  readonly compose?: {
    readonly does: string;
    /** The `docker compose` arguments that do it by hand, when one command does (the console shows them). */
    readonly command?: (service: string) => string[];
  };
  /** Who carries it out: the proxy itself (the same under every orchestrator) or whatever runs the processes. */
  readonly via: 'proxy' | 'orchestrator';
  /** Whether the console offers it as a button. */
  readonly console: boolean;
  /** The `--ms` setting the fault takes, with its default and bounds; absent: it takes none. */
  readonly ms?: { readonly default: number; readonly max: number };
  /** Injects the fault; resolves with what happened, in the words `npm run fault` prints. */
  run(hands: FaultHands, target: string, settings?: FaultSettings): Promise<string>;
}

/** The orchestrators under which `fault` can be injected. */
export function orchestratorsOf(fault: Fault): Orchestrator[] {
  return [...(fault.native ? (['native'] as const) : []), ...(fault.compose ? (['compose'] as const) : [])];
}

/** The catalogue entry as the console reads it over JSON. */
export function faultEntry(fault: Fault): FaultEntry {
  return {
    name: fault.name,
    target: fault.target,
    summary: fault.summary,
    orchestrators: orchestratorsOf(fault),
    console: fault.console,
  };
}

/** The driver of `hands`, or a LabError saying that nothing here runs the lab's processes. */
export function driverOf(hands: FaultHands): OrchestratorDriver {
  if (!hands.driver) throw new LabError('orchestrator_unavailable', 'Nothing here runs the lab\u2019s processes.');
  return hands.driver;
}

/** Cuts an instance off the network (`cut`) or restores it, where the driver can (the native lab, as root). */
export function cutNetwork(hands: FaultHands, target: string, cut: boolean): Promise<string> {
  const driver = driverOf(hands);
  if (!driver.network) throw new LabError('fault_not_here', `the ${driver.name} lab cannot cut an instance off`);
  return driver.network(target, cut);
}

/** Puts `toxic` on the relay in front of Redis, or lifts every toxic (`null`), where the driver runs such a relay. */
export function toxicOnRedis(hands: FaultHands, target: string, toxic: RedisToxic | null): Promise<string> {
  if (target !== 'redis') throw new LabError('unknown_target', `this fault acts on "redis", not on "${target}"`);
  const driver = driverOf(hands);
  if (!driver.redisToxic) throw new LabError('fault_not_here', `the ${driver.name} lab has no relay in front of Redis`);
  return driver.redisToxic(toxic);
}
