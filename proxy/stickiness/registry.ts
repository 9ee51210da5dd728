// The stickiness methods by name, and the config schema that accepts exactly their options.
import { z } from 'zod';
import { appCookie } from './app-cookie.ts';
import { lbCookie } from './lb-cookie.ts';
import type { StickinessContext, StickinessMethod } from './method.ts';
import { noStickiness } from './none.ts';
import { sourceIp } from './source-ip.ts';

/** A pool's `stickiness` setting: one of the registered methods, chosen by `type`. */
export const stickinessOptions = z.discriminatedUnion(
  'type',
  [noStickiness.options, lbCookie.options, appCookie.options, sourceIp.options],
  { error: 'expected type none, lb-cookie, app-cookie or source-ip' },
);

/** Parsed stickiness options. */
export type StickinessOptions = z.output<typeof stickinessOptions>;

/** The method names a `stickiness.type` may take. */
export type StickinessName = StickinessOptions['type'];

/** A new instance of the method `options.type` names, for one pool. */
export function createStickiness(options: StickinessOptions, context: StickinessContext): StickinessMethod {
  switch (options.type) {
    case 'none':
      return noStickiness.create(options, context);
    case 'lb-cookie':
      return lbCookie.create(options, context);
    case 'app-cookie':
      return appCookie.create(options, context);
    case 'source-ip':
      return sourceIp.create(options, context);
  }
}
