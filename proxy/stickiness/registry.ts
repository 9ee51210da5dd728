// The stickiness methods in one table: the config schema, the factory and the views all read it.
import { z } from 'zod';
import { appCookie } from './app-cookie.ts';
import { lbCookie } from './lb-cookie.ts';
import type { StickinessContext, StickinessKind, StickinessMethod } from './method.ts';
import { noStickiness } from './none.ts';
import { sourceIp } from './source-ip.ts';

/** Every method, in the order error messages and docs list them. */
const kinds = [noStickiness, lbCookie, appCookie, sourceIp] as const;

/**
 * A pool's `stickiness` setting: one of the registered methods, chosen by `type`. The same kinds as above, listed by
 * hand because TypeScript cannot map the tuple into the one `z.discriminatedUnion` needs.
 */
export const stickinessOptions = z.discriminatedUnion(
  'type',
  [noStickiness.options, lbCookie.options, appCookie.options, sourceIp.options],
  {
    error: `expected type ${kinds
      .slice(0, -1)
      .map((kind) => kind.name)
      .join(', ')} or ${kinds.at(-1)?.name}`,
  },
);

/** Parsed stickiness options. */
export type StickinessOptions = z.output<typeof stickinessOptions>;

// The options' `type` picks the kind, so each kind only ever sees its own options.
const byName = new Map<string, StickinessKind<z.ZodType<StickinessOptions>>>(
  kinds.map((kind) => [kind.name, kind as unknown as StickinessKind<z.ZodType<StickinessOptions>>]),
);

function kindOf(options: StickinessOptions): StickinessKind<z.ZodType<StickinessOptions>> {
  return byName.get(options.type) as StickinessKind<z.ZodType<StickinessOptions>>;
}

/** A new instance of the method `options.type` names, for one pool. */
export function createStickiness(options: StickinessOptions, context: StickinessContext): StickinessMethod {
  return kindOf(options).create(options, context);
}

/** The options as the admin API shows them; they can be sent back in `PATCH /api/pools/:pool` unchanged. */
export function stickinessView(options: StickinessOptions): object {
  return kindOf(options).view?.(options) ?? options;
}

/** One line for the status page and logs, e.g. `source-ip (consistent)`. */
export function stickinessLabel(options: StickinessOptions): string {
  return kindOf(options).label?.(options) ?? options.type;
}
