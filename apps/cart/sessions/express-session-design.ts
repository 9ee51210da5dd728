// The part the memory and redis designs share: express-session with a store, differing only in where sessions live.
import type { RequestHandler } from 'express';
import session from 'express-session';
import { sanitizeLines, type CartLine } from '../cart.ts';
import type { SessionMode } from '../config.ts';
import { AppError } from '../errors.ts';
import type { SessionDesign, StoreStatus } from './design.ts';

declare module 'express-session' {
  interface SessionData {
    cart?: CartLine[];
  }
}

/** What differs between the express-session based designs. */
export interface ExpressSessionDesignOptions {
  mode: SessionMode;
  store: session.Store;
  cookieName: string;
  secret: string;
  basePath: string;
  ttlSeconds: number;
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

  return {
    mode: options.mode,
    middleware,
    async load(req) {
      return sanitizeLines(req.session.cart);
    },
    async save(req, _res, lines) {
      const before = req.session.cart;
      req.session.cart = lines;
      try {
        await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
      } catch (error) {
        req.session.cart = before;
        throw storeUnavailable(error);
      }
    },
    async clear(req, res) {
      if (!req.session.cart) return;
      try {
        await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
      } catch (error) {
        throw storeUnavailable(error);
      }
      res.clearCookie(options.cookieName, { path: options.basePath, httpOnly: true, sameSite: 'lax' });
    },
    ready: options.ready,
    storeStatus: options.storeStatus,
    close: options.close,
  };
}

function storeUnavailable(cause: unknown): AppError {
  return cause instanceof AppError ? cause : new AppError('session_store_unavailable', undefined, { cause });
}
