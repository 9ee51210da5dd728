// Source-IP stickiness like NLB's: the client address picks the target, by hash-mod-N or by a consistent ring.
import { z } from 'zod';
import type { Target } from '../pool/target.ts';
import { clientAddress } from './client-address.ts';
import { hash32 } from './hash.ts';
import { HashRing } from './hash-ring.ts';
import type { StickinessKind } from './method.ts';

const options = z.strictObject({
  type: z.literal('source-ip'),
  /** `modulo`: hash % N, cheap but remaps most clients when N changes; `consistent`: a hash ring, remaps about 1/N. */
  hash: z.enum(['modulo', 'consistent']).default('consistent'),
});

/**
 * `source-ip`. The bound target is the one the hash gives over all targets of the pool; when that one
 * cannot serve, the new one is chosen by the same hash over the targets that can (modulo: over the
 * shorter list; consistent: the next one clockwise), so a client still lands on one target, not many.
 */
export const sourceIp: StickinessKind<typeof options> = {
  name: 'source-ip',
  options,
  label: (config) => `source-ip (${config.hash})`,
  create(config, context) {
    let ring = new HashRing([]);
    const ringFor = (targets: readonly Target[]) => {
      if (ring.targets !== targets) ring = new HashRing(targets);
      return ring;
    };

    return {
      find(req) {
        const hash = hash32(clientAddress(req, context.trustedProxies));
        req.affinityHash = hash;
        const targets = context.pool.targets;
        if (targets.length === 0) return 'new';
        if (config.hash === 'modulo') return targets[hash % targets.length]!;
        return ringFor(targets).lookup(hash) ?? 'new';
      },

      choose(req, candidates) {
        if (config.hash === 'modulo') return candidates[req.affinityHash % candidates.length]!;
        return (
          ringFor(context.pool.targets).lookup(req.affinityHash, (target) => candidates.includes(target)) ??
          candidates[0]!
        );
      },

      boundSessions: () => undefined,
    };
  },
};
