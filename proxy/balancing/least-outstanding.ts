// Least outstanding requests: the candidate with the fewest requests in flight, like ALB's algorithm of that name.
import type { BalancingKind } from './algorithm.ts';

/** `least-outstanding`: ties rotate, so an idle pool is not served by its first target only. */
export const leastOutstanding: BalancingKind = {
  create() {
    let start = 0;
    return {
      pick(candidates) {
        const count = candidates.length;
        start = start + 1 >= count ? 0 : start + 1;
        let best = candidates[start]!;
        for (let step = 1; step < count; step++) {
          const candidate = candidates[(start + step) % count]!;
          if (candidate.inflight < best.inflight) best = candidate;
        }
        return best;
      },
    };
  },
};
