// Fuzzing the wire with fast-check: Host, X-Forwarded-*, Expect, duplicated and huge headers, and raw bytes whose
// framing disagrees (Content-Length against Transfer-Encoding, odd chunks, folded or bare-LF lines) carrying a
// smuggled request, through the proxy and straight at an instance. Every answer keeps the contract, no smuggled
// request reaches another shopper's cart, and no process dies.
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeStack } from '../../scripts/stack/native-stack.ts';
import {
  contractBreach,
  expectLabAlive,
  fcParameters,
  inLanes,
  runsFor,
  startFuzzLab,
  timeoutFor,
} from './support/fuzz-lab.ts';
import { forwardedValue, headerText, hostHeader } from './support/inputs.ts';
import { send, sendRaw } from './support/wire.ts';
import { type CartJson, contentOf, WireShopper } from './support/wire-shopper.ts';

// One connection per hostile request, so that whatever one does to its connection is seen by that request alone.
const agent = new http.Agent({ keepAlive: false, maxSockets: 32 });
// The victim's own requests never share a connection with a hostile one.
const victimAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
let lab: { stack: NativeStack; log: string[] } | undefined;
const stack = () => lab?.stack as NativeStack;
const portOf = (id: string) =>
  stack()
    .services()
    .find((service) => service.id === id)?.port as number;

beforeAll(async () => {
  lab = await startFuzzLab();
}, 60_000);

afterAll(async () => {
  agent.destroy();
  victimAgent.destroy();
  await lab?.stack.close();
});

/** A memory shopper through the proxy with a two-line cart: the victim whose cart no input may change. */
async function victim(): Promise<{ shopper: WireShopper; cart: CartJson }> {
  const shopper = new WireShopper(stack().proxy.url, '/memory', victimAgent);
  await shopper.add('tea-green', 2, 'keep me');
  return { shopper, cart: await shopper.add('mug', 1) };
}

/** Headers a client may send wrong: each optional, some repeated, some huge. */
const oddHeaders = fc.record(
  {
    host: hostHeader,
    'x-forwarded-for': forwardedValue,
    'x-forwarded-proto': fc.oneof(fc.constantFrom('https', 'http', 'HTTPS', 'wss', 'https, http', ''), headerText(20)),
    'x-forwarded-host': hostHeader,
    'x-forwarded-port': fc.oneof(fc.constantFrom('443', '0', '-1', '99999', 'x'), headerText(10)),
    'x-forwarded-prefix': headerText(40),
    forwarded: forwardedValue.map((value) => `for=${value};proto=https`),
    expect: fc.constantFrom('100-continue', '100-Continue', 'garbage', '', '200-ok'),
    'content-type': fc.constantFrom(
      ['application/json', 'text/plain'],
      ['text/plain', 'application/json'],
      'application/json',
    ),
    'x-padding': fc.oneof(
      fc.integer({ min: 1_000, max: 40_000 }).map((size) => 'p'.repeat(size)),
      fc.array(fc.constant('q'.repeat(500)), { maxLength: 60 }),
    ),
    via: headerText(60),
    'accept-encoding': fc.oneof(fc.constantFrom('gzip', 'br', '*', 'identity;q=0'), headerText(30)),
    connection: fc.constantFrom('keep-alive', 'close', 'upgrade', 'x-served-by', 'cookie', 'te, trailers'),
    upgrade: fc.constantFrom('websocket', 'h2c', 'garbage'),
  },
  { requiredKeys: [] },
);

describe('fuzzing the wire', () => {
  it(
    'odd, repeated and huge headers, through the proxy and straight at an instance: the contract holds, carts are kept',
    async () => {
      await inLanes(4, runsFor(0.2), async (lane, runs) => {
        const { shopper, cart } = await victim();
        const base = lane % 2 === 0 ? stack().proxy.url : `http://127.0.0.1:${portOf(cart.instance)}`;
        const expected = contentOf(cart);
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(
              ['GET', '/memory/api/cart', undefined],
              ['GET', '/memory/', undefined],
              ['POST', '/memory/api/cart/items', '{"sku":"kettle","qty":1,"extra":1}'],
              ['POST', '/memory/api/cart/items', '{"sku":"no-such","qty":1}'],
              ['DELETE', '/memory/api/cart/items/no-such', undefined],
            ),
            oddHeaders,
            async ([method, path, body], headers) => {
              const answer = await send(
                base,
                { method, path, headers: { cookie: shopper.cookieHeader(), ...headers }, body },
                agent,
              );
              expect(contractBreach(answer)).toBeUndefined();
              expect(contentOf(await shopper.cart())).toEqual(expected);
            },
          ),
          fcParameters(runs),
        );
      });
    },
    timeoutFor(0.2),
  );

  it(
    'raw requests whose framing disagrees never smuggle a request to another shopper, and get JSON errors',
    async () => {
      await inLanes(4, runsFor(0.15), async (lane, runs) => {
        const { shopper, cart } = await victim();
        const direct = lane % 2 === 1;
        const port = direct ? portOf(cart.instance) : stack().proxy.port;
        const cookie = direct ? `cart_memory_sid=${shopper.cookies.get('cart_memory_sid')}` : shopper.cookieHeader();
        const lb = direct ? '' : `LABLB=${shopper.cookies.get('LABLB')}`;
        const expected = contentOf(cart);
        await fc.assert(
          fc.asyncProperty(framing, fc.constantFrom('\r\n', '\n'), async (frame, eol) => {
            const bytes = frame({ smuggled: smuggledAdd(cookie), lb, eol });
            const answers = await sendRaw(port, bytes, 'POST');
            for (const answer of answers)
              expect(contractBreach(answer), JSON.stringify(bytes.slice(0, 400))).toBeUndefined();
            expect(contentOf(await shopper.cart()), JSON.stringify(bytes.slice(0, 400))).toEqual(expected);
          }),
          fcParameters(runs),
        );
      });
    },
    timeoutFor(0.15),
  );

  it('leaves every process running and every instance healthy', async () => {
    await expectLabAlive(stack(), lab?.log ?? []);
  });
});

/**
 * A complete request that would add a kettle to the victim's cart if any server ever took it as a request of its own.
 */
function smuggledAdd(cookie: string): string {
  const body = '{"sku":"kettle","qty":1}';
  return (
    `POST /memory/api/cart/items HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
  );
}

interface FrameParts {
  smuggled: string;
  /**
   * The victim's sticky cookie (or nothing, straight at the instance), so the outer request lands where the cart lives.
   */
  lb: string;
  eol: string;
}

/**
 * An outer request (a refused add to a fresh session) whose framing headers disagree, with the smuggled request inside
 * or
 * after its body. The outer request says `Connection: close`, so no server may take anything after it as a request: the
 * victim's cart changes only if some server reads the framing differently from another, or ignores the close.
 */
const framing = fc
  .tuple(
    fc.constantFrom(
      // [framing header lines, how the body is written]
      [['Content-Length: LEN', 'Transfer-Encoding: chunked'], 'chunked'],
      [['Transfer-Encoding: chunked', 'Content-Length: LEN'], 'chunked'],
      [['Content-Length: LEN', 'Transfer-Encoding: chunked'], 'plain'],
      [['Content-Length: 0', 'Content-Length: LEN'], 'plain'],
      [['Content-Length: LEN', 'Content-Length: 0'], 'plain'],
      [['Content-Length: LEN, 0'], 'plain'],
      [['Content-Length: +LEN'], 'plain'],
      [['Content-Length: 0x10'], 'plain'],
      [['Content-Length: -1'], 'plain'],
      [['Content-Length: 99999999999999999999'], 'plain'],
      [['Content-Length : LEN'], 'plain'],
      [['Content-Length:\tLEN'], 'plain'],
      [['Transfer-Encoding: chunked, identity'], 'chunked'],
      [['Transfer-Encoding: identity, chunked'], 'chunked'],
      [['Transfer-Encoding: gzip, chunked'], 'chunked'],
      [['Transfer-Encoding: Chunked'], 'chunked'],
      [['Transfer-Encoding: xchunked'], 'chunked'],
      [['Transfer-Encoding:  chunked '], 'chunked'],
      [['Transfer-Encoding: chunked', 'Transfer-Encoding: identity'], 'chunked'],
      [['Transfer-Encoding:', ' chunked'], 'chunked'],
      [['Transfer-Encoding: chunked'], 'chunked-ext'],
      [['Transfer-Encoding: chunked'], 'chunked-bad-size'],
      [['Transfer-Encoding: chunked'], 'chunked-no-end'],
      [['Transfer-Encoding: chunked'], 'chunked'],
      [['Content-Length: 0'], 'plain'],
      [[], 'plain'],
      [['Content-Length: LEN', 'X-Nul: a\u0000b'], 'plain'],
      [['Content-Length: LEN', 'Bad Header: x'], 'plain'],
    ),
    fc.constantFrom(
      'POST /memory/api/cart/items HTTP/1.1',
      'POST /memory/api/cart/items HTTP/1.0',
      'POST /memory/api/cart/items HTTP/1.2',
      'POST  /memory/api/cart/items HTTP/1.1',
      'GET /memory/api/cart HTTP/1.1',
    ),
    fc.nat({ max: 40 }),
    fc.constantFrom('{"sku":"no-such","qty":1}', 'x', ''),
  )
  .map(([[lines, body], requestLine, cut, prefix]) => (parts: FrameParts) => {
    const { smuggled, eol } = parts;
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    const payload =
      body === 'plain'
        ? prefix + smuggled
        : body === 'chunked'
          ? `${chunk(prefix || 'x')}0\r\n\r\n${smuggled}`
          : body === 'chunked-ext'
            ? `${Buffer.byteLength(prefix || 'x').toString(16)};ext="a\r\n${prefix || 'x'}\r\n0\r\n\r\n${smuggled}`
            : body === 'chunked-bad-size'
              ? `${['-1', 'fffffffffffffffff', '0x5', ' 5', 'g'][cut % 5]}\r\n${prefix}\r\n0\r\n\r\n${smuggled}`
              : chunk(prefix || 'x') + smuggled;
    // LEN covers only the outer body, so a server that reads Content-Length sees the smuggled request as a request of
    // its own.
    const length = String(
      Buffer.byteLength(
        body === 'plain' ? prefix : payload.slice(0, Math.max(0, payload.length - smuggled.length - cut)),
      ),
    );
    const head = [
      requestLine,
      'Host: 127.0.0.1',
      `Cookie: ${parts.lb}`,
      'Content-Type: application/json',
      'Connection: close',
      ...lines.map((line) => line.replace('LEN', length)),
    ];
    return Buffer.from(head.join(eol) + eol + eol + payload, 'latin1');
  });
