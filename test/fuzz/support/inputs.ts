// What a hostile client can send, as fast-check arbitraries: shop bodies, paths and queries, cookies of every kind and
// headers.
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { catalogItems } from '../../../apps/cart/catalog.ts';
import { JWT_SECRET } from './fuzz-lab.ts';

const skus = catalogItems().map((item) => item.sku);

/** Any string: printable, full unicode, lone surrogates and control characters. */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

/** Characters Node lets through in a header value (it refuses control characters itself). */
export const headerText = (maxLength = 200) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((code) => code !== 0x7f)
      .map((code) => String.fromCharCode(code)),
    maxLength,
  });

/** A value that is almost a number, or is one of the kinds a JSON schema trips over. */
const oddValue = fc.oneof(
  fc.integer({ min: -1_000, max: 1_000 }),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    1,
    99,
    100,
    Number.POSITIVE_INFINITY,
    Number.MAX_SAFE_INTEGER + 2,
    '1',
    '',
    ' 1',
    '0x10',
    '1e2',
    true,
    null,
    [],
    {},
    [1],
  ),
  anyText,
);

/** An add-to-cart object near the valid one: real or bogus skus, odd quantities and notes, extra and prototype keys. */
const addItemLike = fc
  .record(
    {
      sku: fc.oneof(fc.constantFrom(...skus), anyText, oddValue),
      qty: fc.oneof(fc.integer({ min: 1, max: 99 }), oddValue),
      note: fc.oneof(anyText, fc.string({ minLength: 190, maxLength: 230 }), oddValue),
      unitPrice: oddValue,
      extra: fc.jsonValue(),
    },
    { requiredKeys: [] },
  )
  .map((fields) => JSON.stringify(fields));

/** JSON texts that stress the parser itself. */
const nastyJson = fc.constantFrom(
  '{"sku":"mug","qty":1,"__proto__":{"polluted":true}}',
  '{"sku":"mug","qty":1,"constructor":{"prototype":{"polluted":true}}}',
  '{"sku":"mug","sku":"teapot","qty":1}',
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  `{"sku":"mug","qty":1,"note":"${'\\u0000'.repeat(50)}"}`,
  '\uFEFF{"sku":"mug","qty":1}',
  '{"sku":"mug","qty":1e999}',
  '{"sku":"mug","qty":1}garbage',
  '{"sku":"mug","qty":1}{"sku":"mug","qty":1}',
  'null',
  '"mug"',
  '',
  `{"note":"${'x'.repeat(17_000)}"}`,
);

/** A request body for the cart API. */
export const cartBody = fc.oneof(
  { weight: 4, arbitrary: addItemLike },
  { weight: 2, arbitrary: fc.json() },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: nastyJson },
);

/** A Content-Type header, mostly JSON. */
export const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset="',
      'application/json;;;',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/',
      '*/*',
      'json',
    ),
  },
  { weight: 1, arbitrary: headerText(60) },
);

/** A percent-encoded, dotted, doubled or unicode path segment. */
const segment = fc.oneof(
  fc.constantFrom(
    'api',
    'cart',
    'items',
    'catalog',
    'healthz',
    '..',
    '.',
    '',
    '%',
    '%2',
    '%zz',
    '%E0%A4%A',
    '%2e%2e',
    '%2F',
    '%00',
    '%C0%AF',
    '..%2f',
    '~',
    ';x=1',
    'mug',
    'a'.repeat(300),
  ),
  fc.constantFrom(...skus),
  fc.string({ unit: fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@%".split('')), maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map((text) => encodeURIComponent(text)),
);

/** A query string: repeated keys, brackets, broken escapes, long values. */
const query = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.tuple(segment, segment), { maxLength: 6 })
    .map((pairs) => `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`),
  fc.constantFrom(
    '?',
    '??',
    '?a[b][c][d]=1',
    '?a[]=1&a[]=2',
    '?__proto__[x]=1',
    '?%',
    `?x=${'y'.repeat(5_000)}`,
    '?a=1&a=2&a=3',
  ),
);

/** A request path on the proxy or an instance: under a shop's prefix, the control names, or nowhere. */
export const requestPath = fc
  .tuple(
    fc.constantFrom(
      '/memory',
      '/redis',
      '/jwt',
      '',
      '/Memory',
      '/memory%2f',
      '/console',
      '/api',
      '//memory',
      '/memory/..',
    ),
    fc.array(segment, { maxLength: 5 }),
    query,
  )
  .map(([prefix, segments, search]) => `${prefix}/${segments.join('/')}${search}` || '/');

/** An HTTP method, common or not. */
export const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'M-SEARCH', 'PURGE', 'LINK', 'QUERY', 'get', 'FOO') },
);

/** A value for one of the X-Forwarded-* family, Forwarded or X-Real-IP. */
export const forwardedValue = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc
    .array(
      fc.oneof(
        fc.ipV4(),
        fc.ipV6(),
        fc.constantFrom('unknown', '127.0.0.1', '::ffff:10.0.0.1', '', ' ', 'for=1.2.3.4', '10.0.0.1:80'),
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((hops) => hops.join(', ')),
  headerText(100),
);

/** A Host header: loopback, other names, ports, IPv6, junk. */
export const hostHeader = fc.oneof(
  fc.constantFrom(
    '127.0.0.1',
    'localhost',
    'evil.example',
    'evil.example:80',
    '[::1]',
    '[::1]:99999',
    '',
    ':',
    'a:b:c',
    '127.0.0.1:0',
    'x'.repeat(300),
    '.',
    'localhost.',
    'xn--nxasmq6b',
  ),
  fc.domain(),
  headerText(80),
);

/** A token signed with `key` (the shop's key by default) carrying `payload`. */
const signed = (payload: object, options: jwt.SignOptions = {}, key: string = JWT_SECRET) =>
  jwt.sign(payload, key, { algorithm: 'HS256', ...options });

/** A line of a cart token that is valid, or wrong in one way the shop must refuse. */
const tokenLine = fc.record(
  {
    sku: fc.oneof(fc.constantFrom(...skus), anyText, oddValue),
    qty: fc.oneof(fc.integer({ min: 1, max: 99 }), oddValue),
    note: fc.oneof(anyText, oddValue),
    unitPrice: oddValue,
  },
  { requiredKeys: ['sku', 'qty'] },
);

/**
 * A `cart_jwt` value: signed by the shop's key with odd payloads, by other keys, `alg: none`, expired, huge or garbage.
 */
export const jwtCookie = fc.oneof(
  fc.array(tokenLine, { maxLength: 5 }).map((cart) => signed({ cart }, { issuer: 'session-stickiness-lab' })),
  fc.array(tokenLine, { maxLength: 5 }).map((cart) => signed({ cart })),
  fc.jsonValue().map((value) => signed({ cart: value })),
  fc.array(tokenLine, { maxLength: 3 }).map((cart) => signed({ cart }, {}, 'another-key-another-key-another-key')),
  fc.array(tokenLine, { maxLength: 3 }).map((cart) => signed({ cart, exp: Math.floor(Date.now() / 1000) - 10 })),
  fc.array(tokenLine, { maxLength: 3 }).map((cart) => jwt.sign({ cart }, '', { algorithm: 'none' })),
  fc.constant(signed({ cart: Array.from({ length: 120 }, () => ({ sku: 'mug', qty: 1 })) })),
  fc.constant(signed({ cart: [{ sku: 'mug', qty: 1, note: 'n'.repeat(5_000) }] })),
  fc.base64String({ maxLength: 200 }),
  fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((parts) => parts.join('.')),
  headerText(100).filter((text) => !text.includes(';')),
);

/**
 * A mutation of a genuine cookie value: a character changed, cut, extended, a part swapped for a forged one,
 * or encoded differently; the result may be any string.
 */
export const cookieMutation = fc.oneof(
  fc
    .tuple(fc.nat(), fc.constantFrom(...'abcdefABCDEF0123456789-_.%~'.split('')))
    .map(([at, character]) => (value: string) => {
      const index = at % Math.max(1, value.length);
      return value.slice(0, index) + character + value.slice(index + 1);
    }),
  fc.nat().map((cut) => (value: string) => value.slice(0, cut % Math.max(1, value.length))),
  headerText(20)
    .filter((text) => !text.includes(';'))
    .map((tail) => (value: string) => value + tail),
  fc.constantFrom(
    (value: string) => value.toUpperCase(),
    (value: string) => encodeURIComponent(value),
    (value: string) => decodeURIComponentSafe(value),
    (value: string) => `"${value}"`,
    (value: string) => ` ${value} `,
    (value: string) => value.split('.').reverse().join('.'),
    (value: string) => {
      const [session = '', , mac = ''] = value.split('.');
      const payload = Buffer.from(`memory-2~${Date.now() + 3_600_000}`).toString('base64url');
      return `${session}.${payload}.${mac}`;
    },
  ),
);

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A Cookie header's extra pairs: other names, near-misses of the lab's names, duplicates, junk separators. */
export const cookieNoise = fc.array(
  fc.oneof(
    fc
      .tuple(
        fc.constantFrom('LABLB ', 'lablb', 'XLABLB', 'cart_jwt_', 'CART_JWT', 'cart_memory_sid2', 'a', '', '$Version'),
        headerText(30),
      )
      .map(([name, value]) => `${name}=${value.replace(/;/g, '')}`),
    headerText(40).map((text) => text.replace(/[;=]/g, '')),
    fc.constantFrom(';', ';;', '=', '==', ' ; ', '\t'),
  ),
  { maxLength: 4 },
);
