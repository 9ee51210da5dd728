// Round robin: each new request goes to the next candidate in turn, ignoring weights.
import type { BalancingKind } from './algorithm.ts';

/** `round-robin`: the classic rotation (ALB's and nginx's default). */
export const roundRobin: BalancingKind = {
  create() {
    let next = 0;
    return {
      pick(candidates) {
        if (next >= candidates.length) next = 0;
        return candidates[next++]!;
      },
    };
  },
};
