// Durations in config files: seconds as a number (like ALB) or a string with a unit (like HAProxy), kept as
// milliseconds.
import { z } from 'zod';

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const pattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;

/** Parses `30`, `"500ms"`, `"1.5s"`, `"5m"`, `"1h"` or `"7d"` into milliseconds; undefined when it is none of these. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1_000) : undefined;
  const match = pattern.exec(value.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * unitMs[match[2] as keyof typeof unitMs]);
}

/** Writes milliseconds back in the largest unit that keeps them exact, e.g. `86400000` -> `"1d"`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= unitMs[unit] && ms % unitMs[unit] === 0) return `${ms / unitMs[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** A zod schema for a duration between `min` and `max` (both in ms); its output is milliseconds. */
export function duration(minMs: number, maxMs: number) {
  const range = `between ${formatDuration(minMs)} and ${formatDuration(maxMs)}`;
  return z
    .union([z.number(), z.string()], {
      error: `expected a duration ${range} (seconds as a number, or a string like "500ms", "30s", "1d")`,
    })
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms < minMs || ms > maxMs) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message:
            `expected a duration ${range} (seconds as a number, or a string like "500ms", "30s", "1d"), ` +
            `got ${JSON.stringify(value)}`,
        });
        return z.NEVER;
      }
      return ms;
    });
}
