// No stickiness: every request is balanced on its own, which is what the stateless session designs want.
import { z } from 'zod';
import type { StickinessKind } from './method.ts';

const options = z.strictObject({ type: z.literal('none') });

/** `none`: never binds, so no decision counts as non-sticky. */
export const noStickiness: StickinessKind<typeof options> = {
  name: 'none',
  options,
  create() {
    return {
      find: () => undefined,
      boundSessions: () => undefined,
    };
  },
};
