// The faults a relay can put on its connections, toxiproxy-style: one small schema per kind, a registry by name.

import { z } from 'zod';
import { LabError } from '../../lab/errors.ts';

/** `latency`: every answer from upstream is held back this long (plus up to `jitterMs`), in order. */
export const latencySchema = z.strictObject({
  ms: z.number().int().min(0).max(60_000),
  jitterMs: z.number().int().min(0).max(10_000).default(0),
});

/**
 * `stall`: nothing is forwarded either way and connections stay open, as in a partition; data flows again when lifted.
 */
export const stallSchema = z.strictObject({});

/** Every toxic by name, with the schema of its settings. */
export const toxicSchemas = { latency: latencySchema, stall: stallSchema } as const;

/** The name of a toxic. */
export type ToxicName = keyof typeof toxicSchemas;

/** The toxics in force on a relay. */
export interface ToxicSettings {
  latency?: z.output<typeof latencySchema>;
  stall?: z.output<typeof stallSchema>;
}

/** Checks `settings` for the toxic `name`; throws LabError `invalid_toxic` listing every problem. */
export function parseToxic<N extends ToxicName>(
  name: string,
  settings: unknown,
): { name: N; settings: NonNullable<ToxicSettings[N]> } {
  const schema = (toxicSchemas as Record<string, z.ZodType>)[name];
  if (!schema)
    throw new LabError('invalid_toxic', `no toxic "${name}"; there are ${Object.keys(toxicSchemas).join(', ')}`);
  const parsed = schema.safeParse(settings ?? {});
  if (!parsed.success) {
    throw new LabError(
      'invalid_toxic',
      `${name}: ` +
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'} ${issue.message}`).join('; '),
    );
  }
  return { name: name as N, settings: parsed.data as NonNullable<ToxicSettings[N]> };
}
