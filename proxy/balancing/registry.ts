// The balancing algorithms by name; the config schema and the admin API accept exactly these names.
import type { BalancingAlgorithm, BalancingKind } from './algorithm.ts';
import { leastOutstanding } from './least-outstanding.ts';
import { random } from './random.ts';
import { roundRobin } from './round-robin.ts';
import { weightedRoundRobin } from './weighted-round-robin.ts';

const registry = {
  'round-robin': roundRobin,
  'least-outstanding': leastOutstanding,
  random,
  'weighted-round-robin': weightedRoundRobin,
} as const satisfies Record<string, BalancingKind>;

/** One of the registered algorithm names. */
export type AlgorithmName = keyof typeof registry;

/** The names an `algorithm` setting may take. */
export const algorithmNames = Object.keys(registry) as [AlgorithmName, ...AlgorithmName[]];

/** A fresh instance of the algorithm registered under `name`. */
export function createAlgorithm(name: AlgorithmName): BalancingAlgorithm {
  return registry[name].create();
}
