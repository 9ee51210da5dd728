// Weighted round robin in nginx's smooth form: shares follow the weights without bursts to one target.
import type { Target } from '../pool/target.ts';
import type { BalancingKind } from './algorithm.ts';

/**
 * `weighted-round-robin`: each pick adds every candidate's weight to its running score, takes the
 * highest and subtracts the total from it. Weights 3:1 give a a b a a a b a, never a a a b in a block.
 * Weight 0 targets never reach `pick` (the pool keeps them out of the candidates).
 */
export const weightedRoundRobin: BalancingKind = {
  create() {
    const scores = new WeakMap<Target, number>();
    return {
      pick(candidates) {
        let total = 0;
        let best = candidates[0]!;
        let bestScore = -Infinity;
        for (const candidate of candidates) {
          const score = (scores.get(candidate) ?? 0) + candidate.weight;
          scores.set(candidate, score);
          total += candidate.weight;
          if (score > bestScore) {
            best = candidate;
            bestScore = score;
          }
        }
        scores.set(best, bestScore - total);
        return best;
      },
    };
  },
};
