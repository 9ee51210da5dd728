// Random: a uniformly random candidate, the baseline every smarter algorithm is compared with.
import type { BalancingKind } from './algorithm.ts';

/** `random`: no state at all, so nothing to coordinate between proxies. */
export const random: BalancingKind = {
  create() {
    return {
      pick(candidates) {
        return candidates[Math.floor(Math.random() * candidates.length)]!;
      },
    };
  },
};
