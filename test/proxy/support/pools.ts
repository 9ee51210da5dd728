// Builds pools and fake requests for unit tests of balancing, stickiness and the routing decision.
import type { OutgoingHttpHeaders } from 'node:http';
import { type PoolConfig, poolSchema } from '../../../proxy/config/schema.ts';
import { FleetEvents } from '../../../proxy/pool/fleet-events.ts';
import { Pool } from '../../../proxy/pool/pool.ts';
import type { RoutedRequest } from '../../../proxy/routing/routed-request.ts';

/** The secret unit-test pools sign their cookies with. */
export const TEST_SECRET = 'unit-test-secret-0123456789';

/** A pool named `name` with targets `ids`, built from config-file shaped `settings`. */
export function makePool(
  name: string,
  ids: readonly string[],
  settings: Record<string, unknown> = {},
  trustedProxies: string[] = [],
): Pool {
  const config: PoolConfig = poolSchema.parse({
    ...settings,
    targets: ids.map((id, index) => ({ id, url: `http://127.0.0.1:${40_000 + index}` })),
  });
  return new Pool(name, config, {
    events: new FleetEvents(),
    secret: TEST_SECRET,
    cookiePath: `/${name}`,
    trustedProxies: new Set(trustedProxies),
    latencyRecorder: () => ({ observe: () => undefined }),
  });
}

/** A request as far as routing looks at it. */
export function fakeRequest(headers: Record<string, string> = {}, remoteAddress = '203.0.113.7'): RoutedRequest {
  return {
    headers,
    socket: { remoteAddress },
    session: undefined,
    presentedCookie: undefined,
    affinityHash: 0,
    failed: undefined,
    reason: undefined,
  } as unknown as RoutedRequest;
}

/** The `name=value` part of the first Set-Cookie line in `headers`, ready for a Cookie header. */
export function cookieFrom(headers: OutgoingHttpHeaders): string {
  const lines = headers['set-cookie'] as string[] | undefined;
  if (!lines?.[0]) throw new Error('the answer sets no cookie');
  return lines[0].split(';')[0]!;
}
