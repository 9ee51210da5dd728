// The one interface every balancing algorithm implements, toxiproxy-style: a factory registered by name.
import type { Target } from '../pool/target.ts';

/** Picks a target for a request that is not bound to one. */
export interface BalancingAlgorithm {
  /** `candidates` is never empty and holds only targets that may take new sessions. */
  pick(candidates: readonly Target[]): Target;
}

/** A registered algorithm: each pool gets its own instance, so state such as a counter is per pool. */
export interface BalancingKind {
  create(): BalancingAlgorithm;
}
