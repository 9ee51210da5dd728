// Fuzzing the shops through the proxy and straight at an instance with fast-check: bodies, paths, queries and cookies
// of every kind. No answer is a 5xx but the documented 503s, every error is JSON with a stable code, no refused input
// changes a cart, no forged cookie reaches another shopper's cart or sticks a client to a target, and nothing dies.
import http from 'node:http';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeStack } from '../../scripts/stack/native-stack.ts';
import {
  contractBreach,
  expectLabAlive,
  fcParameters,
  inLanes,
  JWT_SECRET,
  runsFor,
  startFuzzLab,
  timeoutFor,
} from './support/fuzz-lab.ts';
import {
  cartBody,
  contentType,
  cookieMutation,
  cookieNoise,
  forwardedValue,
  jwtCookie,
  method,
  requestPath,
} from './support/inputs.ts';
import { send } from './support/wire.ts';
import { type CartJson, contentOf, expectValidCart, WireShopper } from './support/wire-shopper.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
let lab: { stack: NativeStack; log: string[] } | undefined;
const stack = () => lab?.stack as NativeStack;
const proxyUrl = () => stack().proxy.url;
const instanceUrl = (id: string) =>
  (
    stack()
      .services()
      .find((service) => service.id === id)?.url ?? ''
  ).replace(/\/[a-z]+$/, '');

beforeAll(async () => {
  lab = await startFuzzLab();
}, 60_000);

afterAll(async () => {
  agent.destroy();
  await lab?.stack.close();
});

/** A shopper of `prefix` with a cart of two lines, and that cart. */
async function shopperWithCart(base: string, prefix: string): Promise<{ shopper: WireShopper; cart: CartJson }> {
  const shopper = new WireShopper(base, prefix, agent);
  await shopper.add('tea-green', 2, 'keep me');
  return { shopper, cart: await shopper.add('mug', 1) };
}

describe('fuzzing the shops', () => {
  it(
    'cart bodies of every shape and content type, through the proxy and straight at an instance: ' +
      'refused ones change no cart',
    async () => {
      const lanes = [
        ['memory', () => proxyUrl()],
        ['redis', () => proxyUrl()],
        ['jwt', () => proxyUrl()],
        ['memory', () => instanceUrl('memory-2')],
        ['redis', () => instanceUrl('redis-2')],
        ['jwt', () => instanceUrl('jwt-2')],
      ] as const;
      await inLanes(lanes.length, runsFor(0.15), async (lane, runs) => {
        const [mode, base] = lanes[lane] as (typeof lanes)[number];
        const { shopper, cart } = await shopperWithCart(base(), `/${mode}`);
        let expected = contentOf(cart);
        const servedBy = cart.instance;
        await fc.assert(
          fc.asyncProperty(fc.boolean(), cartBody, contentType, async (remove, body, type) => {
            const token = shopper.cookies.get('cart_jwt');
            const answer = remove
              ? await shopper.request({
                  method: 'DELETE',
                  path: `/api/cart/items/${percentEncoded(body.slice(0, 80))}`,
                  headers: {},
                })
              : await shopper.request({
                  method: 'POST',
                  path: '/api/cart/items',
                  headers: { 'content-type': type },
                  body,
                });
            expect(contractBreach(answer)).toBeUndefined();
            expect(answer.headers['x-served-by']).toBe(mode === 'memory' ? servedBy : answer.headers['x-served-by']);
            if (answer.status === 200) {
              const changed = JSON.parse(answer.body) as CartJson;
              expectValidCart(changed);
              expected = contentOf(changed);
            } else if (mode === 'jwt') {
              // The jwt cart is the token itself: a refused request must leave the client's token as it was.
              expect(shopper.cookies.get('cart_jwt')).toBe(token);
            } else {
              expect(contentOf(await shopper.cart())).toEqual(expected);
            }
          }),
          fcParameters(runs),
        );
        expect(contentOf(await shopper.cart())).toEqual(expected);
      });
    },
    timeoutFor(0.15),
  );

  it(
    'paths, queries and methods, through the proxy and straight at an instance: no 5xx, errors as JSON, carts kept',
    async () => {
      const targets = [() => proxyUrl(), () => instanceUrl('memory-1'), () => proxyUrl(), () => instanceUrl('redis-1')];
      await inLanes(targets.length, runsFor(0.15), async (lane, runs) => {
        const mode = lane === 3 ? 'redis' : 'memory';
        const { shopper, cart } = await shopperWithCart(targets[lane]?.() as string, `/${mode}`);
        const bare = new WireShopper(shopper.base, '', agent);
        let expected = contentOf(cart);
        await fc.assert(
          fc.asyncProperty(
            method,
            requestPath,
            fc.option(fc.tuple(cartBody, contentType), { nil: undefined }),
            async (verb, path, payload) => {
              const answer = await send(
                bare.base,
                {
                  method: verb,
                  path,
                  headers: { cookie: shopper.cookieHeader(), ...(payload && { 'content-type': payload[1] }) },
                  body: payload?.[0],
                },
                agent,
              );
              expect(contractBreach(answer)).toBeUndefined();
              if (!WRITES.has(verb.toUpperCase())) return;
              const now = contentOf(await shopper.cart());
              // A write the shop accepted may change the cart (e.g. DELETE /memory/api/cart); a refused one must not.
              if (answer.status < 300) expected = now;
              else expect(now).toEqual(expected);
            },
          ),
          fcParameters(runs),
        );
      });
    },
    timeoutFor(0.15),
  );

  it(
    'forged or mangled sticky cookies (lb-cookie) stick no client to a target, and forged session ids reach no cart',
    async () => {
      await inLanes(2, runsFor(0.1), async (_lane, runs) => {
        const { shopper, cart } = await shopperWithCart(proxyUrl(), '/memory');
        const genuine = {
          lb: shopper.cookies.get('LABLB') as string,
          sid: shopper.cookies.get('cart_memory_sid') as string,
        };
        await fc.assert(
          fc.asyncProperty(fc.boolean(), cookieMutation, cookieNoise, async (forgeSession, mutate, noise) => {
            const lb = forgeSession ? genuine.lb : mutate(genuine.lb);
            const sid = forgeSession ? mutate(genuine.sid) : genuine.sid;
            const answer = await send(
              proxyUrl(),
              {
                method: 'GET',
                path: '/memory/api/cart',
                headers: { cookie: [`LABLB=${lb}`, `cart_memory_sid=${sid}`, ...noise].join('; ') },
              },
              agent,
            );
            expect(contractBreach(answer)).toBeUndefined();
            const earned = shopper.issued.get('LABLB')?.has(lb.trim()) === true;
            if (!earned) expect(answer.headers['x-upstream-reason']).toBeDefined();
            if (answer.status === 200 && normalised(sid) !== normalised(genuine.sid))
              expect((JSON.parse(answer.body) as CartJson).items).toEqual([]);
          }),
          fcParameters(runs),
        );
        expect(contentOf(await shopper.cart())).toEqual(contentOf(cart));
      });
    },
    timeoutFor(0.1),
  );

  it(
    'forged or mangled application cookies (app-cookie) stick no client to a target and reach no cart',
    async () => {
      await inLanes(2, runsFor(0.05), async (_lane, runs) => {
        const { shopper, cart } = await shopperWithCart(proxyUrl(), '/redis');
        const genuine = shopper.cookies.get('cart_redis_sid') as string;
        await fc.assert(
          fc.asyncProperty(cookieMutation, cookieNoise, async (mutate, noise) => {
            const sid = mutate(genuine);
            const answer = await send(
              proxyUrl(),
              {
                method: 'GET',
                path: '/redis/api/cart',
                headers: { cookie: [`cart_redis_sid=${sid}`, ...noise].join('; ') },
              },
              agent,
            );
            expect(contractBreach(answer)).toBeUndefined();
            if (sid.trim() !== genuine) expect(answer.headers['x-upstream-reason']).toBeDefined();
            if (answer.status === 200 && normalised(sid) !== normalised(genuine))
              expect((JSON.parse(answer.body) as CartJson).items).toEqual([]);
          }),
          fcParameters(runs),
        );
        expect(contentOf(await shopper.cart())).toEqual(contentOf(cart));
      });
    },
    timeoutFor(0.05),
  );

  it(
    'cart tokens signed with odd payloads, other keys, alg none, expired or huge: ' +
      'only valid carts, and only from the shop key',
    async () => {
      const direct = () => instanceUrl('jwt-1');
      await inLanes(2, runsFor(0.1), async (lane, runs) => {
        const base = lane === 0 ? proxyUrl() : direct();
        await fc.assert(
          fc.asyncProperty(jwtCookie, cookieNoise, async (token, noise) => {
            const answer = await send(
              base,
              { method: 'GET', path: '/jwt/api/cart', headers: { cookie: [`cart_jwt=${token}`, ...noise].join('; ') } },
              agent,
            );
            expect(contractBreach(answer)).toBeUndefined();
            if (answer.status !== 200) return;
            const cart = JSON.parse(answer.body) as CartJson;
            expectValidCart(cart);
            if (!signedByShop(token)) expect(cart.items).toEqual([]);
          }),
          fcParameters(runs),
        );
      });
    },
    timeoutFor(0.1),
  );

  it(
    'X-Forwarded-For, Forwarded and X-Real-IP from an untrusted client move no one (source-ip)',
    async () => {
      const home = (await send(proxyUrl(), { method: 'GET', path: '/jwt/api/catalog', headers: {} }, agent)).headers[
        'x-served-by'
      ];
      expect(home).toMatch(/^jwt-\d$/);
      await inLanes(2, runsFor(0.1), async (_lane, runs) => {
        await fc.assert(
          fc.asyncProperty(
            forwardedValue,
            fc.subarray(['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto'], {
              minLength: 1,
            }),
            async (value, names) => {
              const answer = await send(
                proxyUrl(),
                {
                  method: 'GET',
                  path: '/jwt/api/catalog',
                  headers: Object.fromEntries(names.map((name) => [name, value])),
                },
                agent,
              );
              expect(contractBreach(answer)).toBeUndefined();
              expect(answer.headers['x-served-by']).toBe(home);
            },
          ),
          fcParameters(runs),
        );
      });
    },
    timeoutFor(0.1),
  );

  it('leaves every process running and every instance healthy', async () => {
    await expectLabAlive(stack(), lab?.log ?? []);
  });
});

/** A cookie value as the cookie parsers read it: trimmed, unquoted, percent-decoded. */
function normalised(value: string): string {
  let text = value.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Every byte of the text's UTF-8 (lone surrogates become U+FFFD) as %XX, safe in any path. */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

function signedByShop(token: string): boolean {
  try {
    jwt.verify(token, JWT_SECRET, { algorithms: ['HS256'] });
    return true;
  } catch {
    return false;
  }
}
