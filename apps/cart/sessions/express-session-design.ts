// The part the memory and redis designs share: express-session with a store, and the ways a cart change is written.
import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { type CartLine, sanitizeLines } from '../cart.ts';
import type { CartWrites, SessionMode } from '../config.ts';
import { AppError } from '../errors.ts';
import { readModifyWrite, type SessionDesign, type StoreStatus } from './design.ts';
import { KeyedQueue } from './keyed-queue.ts';

declare module 'express-session' {
  interface SessionData {
    /** The cart, when it lives inside the session record (memory, and redis with whole-session writes). */
    cart?: CartLine[];
    /** Set once the redis design with atomic writes keeps this session's lines in a hash of their own. */
    cartInHash?: boolean;
  }
}

/** The cart operations of a design; what differs between the ways of writing a change. */
export type CartOperations = Pick<SessionDesign, 'load' | 'add' | 'remove' | 'clear'>;

/** What differs between the express-session based designs. */
export interface ExpressSessionDesignOptions {
  mode: SessionMode;
  store: session.Store;
  cookieName: string;
  secret: string;
  basePath: string;
  ttlSeconds: number;
  cartWrites: CartWrites;
  /**
   * Atomic cart operations in a store that every process shares (the redis design). Without them, `atomic` means
   * changes to one session run one after another in this process: sound only for a store no other process writes.
   */
  atomicOperations?: CartOperations;
  ready(timeoutMs: number): Promise<void>;
  storeStatus(): StoreStatus;
  close(): Promise<void>;
}

/** A session design backed by express-session and the given store. */
export function expressSessionDesign(options: ExpressSessionDesignOptions): SessionDesign {
  const handler = session({
    name: options.cookieName,
    secret: options.secret,
    store: options.store,
    resave: false,
    saveUninitialized: false,
    cookie: {
      path: options.basePath,
      httpOnly: true,
      sameSite: 'lax',
      secure: 'auto',
      maxAge: options.ttlSeconds * 1000,
    },
  });

  // express-session hands store failures to next(); they mean "store unreachable", not a bug.
  const middleware: RequestHandler = (req, res, next) => {
    handler(req, res, (error?: unknown) => (error ? next(storeUnavailable(error)) : next()));
  };

  const inRecord = cartInSessionRecord(options.cookieName, options.basePath);
  const operations =
    options.cartWrites === 'whole-session' ? inRecord : (options.atomicOperations ?? oneAtATimePerSession(inRecord));

  return {
    mode: options.mode,
    cartWrites: options.cartWrites,
    middleware,
    ...operations,
    ready: options.ready,
    storeStatus: options.storeStatus,
    close: options.close,
  };
}

/**
 * express-session's own way, the lost-update lesson: the session record was read when the request began and the
 * whole of it is written back when the change is made, so of two overlapping changes the later save wins.
 */
function cartInSessionRecord(
  cookieName: string,
  basePath: string,
): CartOperations & { save(req: Request, res: Response, lines: CartLine[]): Promise<void> } {
  const load = async (req: Request) => sanitizeLines(req.session.cart);
  const save = async (req: Request, _res: Response, lines: CartLine[]) => {
    const before = req.session.cart;
    req.session.cart = lines;
    try {
      await saveSession(req);
    } catch (error) {
      req.session.cart = before;
      throw storeUnavailable(error, true);
    }
  };
  return {
    load,
    save,
    ...readModifyWrite(load, save),
    async clear(req, res) {
      if (!req.session.cart) return;
      try {
        await new Promise<void>((resolve, reject) =>
          req.session.destroy((error) => (error ? reject(error) : resolve())),
        );
      } catch (error) {
        throw storeUnavailable(error, true);
      }
      res.clearCookie(cookieName, { path: basePath, httpOnly: true, sameSite: 'lax' });
    },
  };
}

/**
 * Atomic writes for a store only this process uses: changes to one session wait for each other, and each re-reads
 * the record first, so none is written over. Clearing empties the cart and keeps the session, so a change that was
 * already waiting lands in the emptied cart instead of bringing the old one back.
 */
function oneAtATimePerSession(inRecord: ReturnType<typeof cartInSessionRecord>): CartOperations {
  const queue = new KeyedQueue();
  return {
    load: inRecord.load,
    add: (req, res, item) =>
      queue.run(req.sessionID, async () => {
        await reloadSession(req);
        return inRecord.add(req, res, item);
      }),
    remove: (req, res, sku) =>
      queue.run(req.sessionID, async () => {
        await reloadSession(req);
        return inRecord.remove(req, res, sku);
      }),
    clear: (req, res) =>
      queue.run(req.sessionID, async () => {
        await reloadSession(req);
        if (req.session.cart && req.session.cart.length > 0) await inRecord.save(req, res, []);
      }),
  };
}

/**
 * Writes the session record now (rather than when the response ends), so a store failure becomes this request's 503.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}

/**
 * Re-reads the session record from the store. A session never stored has nothing to re-read; one that is gone
 * (expired meanwhile) continues with an empty cart under the same id.
 */
async function reloadSession(req: Request): Promise<void> {
  if (req.session.cart === undefined) return;
  try {
    await new Promise<void>((resolve, reject) => req.session.reload((error) => (error ? reject(error) : resolve())));
  } catch (error) {
    if (!(error instanceof Error) || error.message !== 'failed to load session') throw storeUnavailable(error);
    req.session.cart = [];
  }
}

/**
 * A store failure as the client sees it. A `change` whose command was sent and never answered may have landed, and
 * saying "not changed" would be a lie the shopper acts on (adding the line again): that one is unconfirmed.
 */
export function storeUnavailable(cause: unknown, change = false): AppError {
  if (cause instanceof AppError) return cause;
  const code = change && outcomeUnknown(cause) ? 'session_store_unconfirmed' : 'session_store_unavailable';
  return new AppError(code, undefined, { cause });
}

/**
 * ioredis's errors for a command already written to the socket: no answer within the command timeout, or its
 * connection closed first (with no retries, that flushes the sent commands). A command refused before it was sent
 * (no connection) fails otherwise.
 */
function outcomeUnknown(cause: unknown): boolean {
  return (
    cause instanceof Error && (cause.message === 'Command timed out' || cause.name === 'MaxRetriesPerRequestError')
  );
}
