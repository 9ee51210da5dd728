// The one `docker compose` command that sets the toxics of compose's redis-relay service, shared by the compose driver
// and the fault catalogue's words for the console.
import type { RedisToxic } from './driver.ts';

/** The compose service of the relay between the redis shops and Redis. */
export const RELAY_SERVICE = 'redis-relay';

/** `docker compose` arguments that put `toxic` on the relay in place of any other, or lift them all (`null`). */
export function relayToxicArgs(toxic: RedisToxic | null): string[] {
  const command = toxic === null ? ['clear'] : toxic.name === 'latency' ? ['latency', String(toxic.ms)] : ['stall'];
  return ['exec', '-T', RELAY_SERVICE, 'node', 'dist/relay-toxic.mjs', ...command];
}
