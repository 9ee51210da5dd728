// Bad input of every kind gets a 4xx JSON error with a stable code, never a crash, and leaves the cart as it was.
import http from 'node:http';
import jwt from 'jsonwebtoken';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CartInstance } from '../../scripts/process/cart-instance.ts';
import { ShopClient, type ShopResponse } from '../../scripts/shopper/shop-client.ts';
import { useProcesses } from '../helpers/processes.ts';

const scope = useProcesses('all');
const JWT_SECRET = 'test-jwt-secret-for-the-bad-input-suite';
const instances = new Map<string, CartInstance>();

beforeAll(async () => {
  const redis = await scope.redis({ appendOnly: false });
  const started = await Promise.all(
    (['memory', 'redis', 'jwt'] as const).map((mode) =>
      scope.cart({ mode, id: `${mode}-1`, redisUrl: redis.url, env: { JWT_SECRET } }),
    ),
  );
  for (const instance of started) instances.set(instance.mode, instance);
});

function errorCode(answer: ShopResponse): string | undefined {
  return (answer.body as { error?: { code?: string } }).error?.code;
}

describe.each(['memory', 'redis', 'jwt'] as const)('%s mode', (mode) => {
  const shop = () => new ShopClient(instances.get(mode)?.url ?? '');

  it.each([
    ['an unknown sku', { sku: 'no-such-thing', qty: 1 }, 400, 'unknown_sku'],
    ['qty 0', { sku: 'mug', qty: 0 }, 400, 'invalid_body'],
    ['qty 100', { sku: 'mug', qty: 100 }, 400, 'invalid_body'],
    ['a fractional qty', { sku: 'mug', qty: 1.5 }, 400, 'invalid_body'],
    ['qty as a string', { sku: 'mug', qty: '2' }, 400, 'invalid_body'],
    ['a note over 200 characters', { sku: 'mug', qty: 1, note: 'x'.repeat(201) }, 400, 'invalid_body'],
    ['a note with control characters', { sku: 'mug', qty: 1, note: 'a\u0000b' }, 400, 'invalid_body'],
    ['an unknown field', { sku: 'mug', qty: 1, unitPrice: 0 }, 400, 'invalid_body'],
    ['a __proto__ key', '{"sku":"mug","qty":1,"__proto__":{"polluted":true}}', 400, 'invalid_body'],
    ['an array body', [{ sku: 'mug', qty: 1 }], 400, 'invalid_body'],
    ['a body that is not JSON', '{"sku": "mug", ', 400, 'invalid_json'],
    ['a body over 16 KB', { sku: 'mug', qty: 1, note: 'x'.repeat(17_000) }, 413, 'payload_too_large'],
    ['a line that would exceed 99', { sku: 'tea-green', qty: 98 }, 400, 'quantity_limit'],
  ])('refuses %s and keeps the cart', async (_what, body, status, code) => {
    const shopper = shop();
    const before = await shopper.add('tea-green', 2, 'keep me');
    expect(before.status).toBe(200);

    const answer = await shopper.request('POST', '/api/cart/items', body);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({
      error: {
        code,
        message: expect.any(String),
        ...(code === 'invalid_body' ? { details: [expect.any(String)] } : {}),
      },
    });
    expect(answer.headers.get('content-type')).toContain('application/json');

    const after = await shopper.getCart();
    expect(after.body).toEqual(before.body);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lists every invalid_body problem as a "path: message" line, the shape the proxy uses', async () => {
    const fields = await shop().request('POST', '/api/cart/items', { sku: 'mug', qty: 100, note: 'x'.repeat(201) });
    expect(fields.body).toEqual({
      error: {
        code: 'invalid_body',
        message: expect.any(String),
        details: [expect.stringMatching(/^qty: ./), expect.stringMatching(/^note: ./)],
      },
    });
    const whole = await shop().request('POST', '/api/cart/items', [1]);
    expect((whole.body as { error: { details: unknown } }).error.details).toEqual([
      expect.stringMatching(/^\(top level\): ./),
    ]);
  });

  it('refuses a body that is not declared as JSON with 415', async () => {
    const answer = await shop().request('POST', '/api/cart/items', '{"sku":"mug","qty":1}', {
      'content-type': 'text/plain',
    });
    expect(answer.status).toBe(415);
    expect(errorCode(answer)).toBe('unsupported_media_type');
  });

  it('answers 404 item_not_in_cart for removing a line that is not there, and keeps the cart', async () => {
    const shopper = shop();
    await shopper.add('mug', 1);
    const answer = await shopper.remove('teapot');
    expect(answer.status).toBe(404);
    expect(errorCode(answer)).toBe('item_not_in_cart');
    expect((await shopper.getCart()).body.items.map((line) => line.sku)).toEqual(['mug']);
  });

  it(
    'answers JSON 404, not a 500, under the base path in other letter case, ' +
      'where its session cookie never applies (found by fuzzing)',
    async () => {
      const origin = new URL(instances.get(mode)?.url ?? '').origin;
      const upper = `/${mode[0]?.toUpperCase()}${mode.slice(1)}`;
      for (const [method, path] of [
        ['GET', `${upper}/`],
        ['GET', `${upper}/api/cart`],
        ['POST', `/${mode.toUpperCase()}/api/cart/items`],
      ] as const) {
        const answer = await new ShopClient(origin).request(
          method,
          path,
          method === 'POST' ? { sku: 'mug', qty: 1 } : undefined,
        );
        expect([path, answer.status, errorCode(answer)]).toEqual([path, 404, 'not_found']);
      }
    },
  );

  it('answers JSON 404 not_found for unknown paths and 400 for a broken percent-encoding', async () => {
    const missing = await shop().request('GET', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe('not_found');
    const broken = await shop().request('DELETE', '/api/cart/items/%E0%A4%A');
    expect(broken.status).toBe(400);
    expect(errorCode(broken)).toBe('bad_request');
  });

  it('treats a malformed or forged session cookie as no session', async () => {
    for (const cookie of [
      'cart_memory_sid=%E0%A4%A; cart_redis_sid=s%3Aforged.sig; cart_jwt=%%%',
      'garbage;;;=;',
      'cart_memory_sid=s%3Aabc.def',
    ]) {
      const answer = await shop().request('GET', '/api/cart', undefined, { cookie });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ items: [], count: 0 });
    }
  });

  it('answers 431 headers_too_large in JSON for an oversized cookie header, and keeps serving', async () => {
    const answer = await shop().request('GET', '/api/cart', undefined, { cookie: `huge=${'a'.repeat(20_000)}` });
    expect(answer.status).toBe(431);
    expect(errorCode(answer)).toBe('headers_too_large');
    expect((await shop().getCart()).status).toBe(200);
  });

  it(
    "answers 417 expectation_failed in JSON, not Node's bare 417, " +
      'for an Expect other than 100-continue (found by fuzzing)',
    async () => {
      // fetch refuses to send Expect, so node:http does.
      const answer = await new Promise<{ status?: number; servedBy: unknown; body: string }>((resolve, reject) => {
        const request = http.get(
          `${instances.get(mode)?.url}/api/cart`,
          { headers: { expect: 'garbage' } },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk));
            response.on('end', () =>
              resolve({ status: response.statusCode, servedBy: response.headers['x-served-by'], body }),
            );
          },
        );
        request.on('error', reject);
      });
      expect([answer.status, answer.servedBy, JSON.parse(answer.body).error.code]).toEqual([
        417,
        `${mode}-1`,
        'expectation_failed',
      ]);
    },
  );
});

describe('jwt mode: attacks on the token', () => {
  const shop = () => new ShopClient(instances.get('jwt')?.url ?? '');
  const sign = (payload: object, secret = JWT_SECRET, options: jwt.SignOptions = {}) =>
    jwt.sign({ exp: Math.floor(Date.now() / 1000) + 3600, ...payload }, secret, {
      algorithm: 'HS256',
      issuer: 'session-stickiness-lab',
      ...options,
    });

  async function tokenOf(shopper: ShopClient): Promise<string> {
    await shopper.add('mug', 2);
    const token = shopper.cookies.get('cart_jwt');
    expect(token).toBeDefined();
    return token as string;
  }

  async function expectReset(token: string, reason: string) {
    const shopper = shop();
    shopper.cookies.set('cart_jwt', token);
    const answer = await shopper.getCart();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-session-reset')).toBe(reason);
    expect(answer.body).toMatchObject({ items: [], count: 0, total: 0 });
    // the ignored token is also cleared in the browser
    expect(answer.headers.getSetCookie().join()).toMatch(/^cart_jwt=; Max-Age=0;/);
  }

  it('ignores a token whose payload was changed', async () => {
    const [header, , signature] = (await tokenOf(shop())).split('.');
    const payload = Buffer.from(
      JSON.stringify({ cart: [{ sku: 'kettle', qty: 99 }], iss: 'session-stickiness-lab' }),
    ).toString('base64url');
    await expectReset(`${header}.${payload}.${signature}`, 'bad_signature');
  });

  it('ignores a token signed with another key', async () => {
    await expectReset(sign({ cart: [{ sku: 'mug', qty: 1 }] }, 'some-other-secret-of-an-attacker'), 'bad_signature');
  });

  it('ignores an expired token', async () => {
    await expectReset(sign({ cart: [{ sku: 'mug', qty: 1 }], exp: Math.floor(Date.now() / 1000) - 60 }), 'expired');
  });

  it('ignores alg:none and HS512 tokens because the algorithm is pinned', async () => {
    const unsigned = jwt.sign({ cart: [{ sku: 'mug', qty: 1 }], iss: 'session-stickiness-lab' }, '', {
      algorithm: 'none',
    });
    await expectReset(unsigned, 'bad_algorithm');
    await expectReset(sign({ cart: [{ sku: 'mug', qty: 1 }] }, JWT_SECRET, { algorithm: 'HS512' }), 'bad_algorithm');
  });

  it('ignores a malformed token and an oversized one', async () => {
    await expectReset('not.a.jwt', 'malformed');
    await expectReset('x'.repeat(5_000), 'too_large');
  });

  it('ignores a validly signed token whose payload is not a cart', async () => {
    await expectReset(sign({ cart: 'all of it' }), 'invalid_payload');
    await expectReset(sign({ cart: [{ sku: 'mug', qty: 1000 }] }), 'invalid_payload');
  });

  it('never takes a price from the token', async () => {
    const shopper = shop();
    shopper.cookies.set('cart_jwt', sign({ cart: [{ sku: 'kettle', qty: 1 }], prices: { kettle: 0 } }));
    const cart = await shopper.getCart();
    expect(cart.body.items).toEqual([{ sku: 'kettle', name: 'Gooseneck kettle', qty: 1, unitPrice: 54.9 }]);
    expect(cart.body.total).toBe(54.9);
  });

  it('refuses a cart that would not fit a 4 KB cookie with 413, keeping the old cart and cookie', async () => {
    const shopper = shop();
    const skus = [
      'tea-green',
      'tea-black',
      'tea-oolong',
      'tea-rooibos',
      'coffee-beans',
      'coffee-ground',
      'cocoa',
      'honey',
      'jam-apricot',
      'jam-cherry',
      'biscuits',
      'shortbread',
      'chocolate-dark',
      'chocolate-milk',
      'almonds',
      'hazelnuts',
    ];
    let refused: ShopResponse | undefined;
    let accepted = 0;
    for (const sku of skus) {
      const before = shopper.cookies.get('cart_jwt');
      const answer = await shopper.add(sku, 1, `A gift note long enough to fill the token quickly: ${'é'.repeat(140)}`);
      if (answer.status !== 200) {
        refused = answer;
        expect(shopper.cookies.get('cart_jwt')).toBe(before);
        expect(answer.headers.getSetCookie()).toEqual([]);
        break;
      }
      accepted += 1;
      expect(answer.headers.getSetCookie()[0]?.length).toBeLessThanOrEqual(4096);
    }
    expect(refused?.status).toBe(413);
    expect(errorCode(refused as ShopResponse)).toBe('cart_too_large_for_token');
    const cart = await shopper.getCart();
    expect(cart.body.items).toHaveLength(accepted);
    expect(accepted).toBeGreaterThan(3);
  });
});
