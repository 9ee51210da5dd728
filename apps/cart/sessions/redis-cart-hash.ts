// Atomic cart writes for the redis design: each line is a field of one Redis hash, changed by a script in one step.
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { type CartLine, MAX_QTY, sanitizeLines } from '../cart.ts';
import { findItem } from '../catalog.ts';
import { AppError } from '../errors.ts';
import { type CartOperations, saveSession, storeUnavailable } from './express-session-design.ts';

// A field per sku holding {"qty":…,"note":…,"at":…}; "#next" numbers new lines so the cart keeps the order lines
// were first added in. Redis runs a script without interleaving any other command, so a change always starts from
// the latest cart, on whichever instance it runs. Both keys get the session's lifetime again on every change.
const ADD_LINE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local ok, line = false, nil
if current then ok, line = pcall(cjson.decode, current) end
-- a field that is not a line of ours (hand-edited, an old format) is replaced, never fatal
if not ok or type(line) ~= 'table' or type(line.qty) ~= 'number' then line = { qty = 0 } end
local qty = line.qty + tonumber(ARGV[2])
if qty > tonumber(ARGV[4]) then return { 'quantity_limit', tostring(qty) } end
if type(line.at) ~= 'number' then line.at = redis.call('HINCRBY', KEYS[1], '#next', 1) end
line.qty = qty
if ARGV[3] ~= '' then line.note = ARGV[3] end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(line))
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
local lines = redis.call('HGETALL', KEYS[1])
table.insert(lines, 1, 'ok')
return lines
`;

const REMOVE_LINE = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return { 'item_not_in_cart' } end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
local lines = redis.call('HGETALL', KEYS[1])
table.insert(lines, 1, 'ok')
return lines
`;

type ScriptAnswer = string[];

interface CartScripts {
  cartAddLine(
    cartKey: string,
    sessionKey: string,
    sku: string,
    qty: number,
    note: string,
    maxQty: number,
    ttl: number,
  ): Promise<ScriptAnswer>;
  cartRemoveLine(cartKey: string, sessionKey: string, sku: string, ttl: number): Promise<ScriptAnswer>;
}

/** Where the hash lives, how long it lives, and how many replicas must have a change before it is acknowledged. */
export interface RedisCartHashOptions {
  /** connect-redis's key prefix, so the session record's lifetime can be renewed with the cart's. */
  sessionPrefix: string;
  ttlSeconds: number;
  /** Redis `WAIT` for this many replicas after every change (0: answer once the primary has it). */
  waitReplicas: number;
}

/**
 * How long a change waits for its replicas: under the 500 ms command timeout, so the refusal is ours, not a timeout.
 */
const WAIT_TIMEOUT_MS = 300;

/**
 * Cart operations that never lose an acknowledged change: a `200` means the change is in Redis, applied on top of
 * every change acknowledged before it. express-session still owns the session's identity and cookie.
 */
export function redisCartHash(client: Redis, options: RedisCartHashOptions): CartOperations {
  client.defineCommand('cartAddLine', { numberOfKeys: 2, lua: ADD_LINE });
  client.defineCommand('cartRemoveLine', { numberOfKeys: 2, lua: REMOVE_LINE });
  const scripts = client as unknown as CartScripts;
  const cartKey = (req: Request) => `cart-lines:${req.sessionID}`;
  const sessionKey = (req: Request) => `${options.sessionPrefix}${req.sessionID}`;

  // Redis failures become 503 (unconfirmed for a `change` that may have landed); the cart's own refusals (quantity,
  // missing line) keep their codes.
  const call = async <T>(command: () => Promise<T>, change = false): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      throw storeUnavailable(error, change);
    }
  };
  // WAIT covers every write this connection sent before it, the change just made included. Asynchronous replication
  // can lose a change the primary acknowledged when it dies; a change a replica confirmed survives a failover.
  const replicated = async (): Promise<void> => {
    if (options.waitReplicas === 0) return;
    const confirmed = await call(() => client.wait(options.waitReplicas, WAIT_TIMEOUT_MS), true);
    if (confirmed < options.waitReplicas) throw new AppError('replication_unconfirmed');
  };

  return {
    async load(req) {
      if (!req.session.cartInHash) return [];
      return linesOf(await call(() => client.hgetall(cartKey(req))));
    },
    async add(req, _res, item) {
      if (!findItem(item.sku)) throw new AppError('unknown_sku', `No catalog item has the sku "${item.sku}".`);
      if (!req.session.cartInHash) {
        // The record must exist before its first line does, so that the cookie the answer sets leads to this cart.
        req.session.cartInHash = true;
        await call(() => saveSession(req));
      }
      const answer = await call(
        () =>
          scripts.cartAddLine(
            cartKey(req),
            sessionKey(req),
            item.sku,
            item.qty,
            item.note ?? '',
            MAX_QTY,
            options.ttlSeconds,
          ),
        true,
      );
      if (answer[0] === 'quantity_limit') {
        throw new AppError('quantity_limit', `A cart line holds at most ${MAX_QTY}; this one would hold ${answer[1]}.`);
      }
      await replicated();
      return linesOf(answer.slice(1));
    },
    async remove(req, _res, sku) {
      const answer = req.session.cartInHash
        ? await call(() => scripts.cartRemoveLine(cartKey(req), sessionKey(req), sku, options.ttlSeconds), true)
        : ['item_not_in_cart'];
      if (answer[0] === 'item_not_in_cart')
        throw new AppError('item_not_in_cart', `The cart has no line with the sku "${sku}".`);
      await replicated();
      return linesOf(answer.slice(1));
    },
    async clear(req) {
      // The session stays: a change still in flight then lands in the emptied cart instead of reviving the old one.
      if (!req.session.cartInHash) return;
      await call(() => client.del(cartKey(req)), true);
      await replicated();
    },
  };
}

/** The cart lines of a hash, in the order they were first added; anything malformed is dropped, never fatal. */
function linesOf(hash: Record<string, string> | string[]): CartLine[] {
  const entries = Array.isArray(hash) ? pairs(hash) : Object.entries(hash);
  const ordered: { at: number; line: unknown }[] = [];
  for (const [sku, value] of entries) {
    if (sku.startsWith('#')) continue;
    try {
      const { qty, note, at } = JSON.parse(value) as { qty?: unknown; note?: unknown; at?: unknown };
      ordered.push({
        at: typeof at === 'number' ? at : Number.MAX_SAFE_INTEGER,
        line: note === undefined ? { sku, qty } : { sku, qty, note },
      });
    } catch {
      // a hand-edited field: skipped like any invalid line
    }
  }
  return sanitizeLines(ordered.sort((a, b) => a.at - b.at).map((entry) => entry.line));
}

function pairs(flat: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let index = 0; index + 1 < flat.length; index += 2)
    result.push([flat[index] as string, flat[index + 1] as string]);
  return result;
}
