// Lets a graceful stop end keep-alive connections right after their last response instead of at the idle timeout.
import type { RequestHandler, Response } from 'express';

/** Tracks open responses so that a shutdown can mark them `Connection: close`. */
export interface ConnectionDraining {
  readonly middleware: RequestHandler;
  /** True once `start` was called. */
  readonly draining: boolean;
  /** From now on every response, including those in flight, closes its connection. */
  start(): void;
}

/** Creates the tracker; mount `middleware` before the routes. */
export function connectionDraining(): ConnectionDraining {
  const open = new Set<Response>();
  let draining = false;
  return {
    middleware(_req, res, next) {
      if (draining) {
        res.setHeader('Connection', 'close');
      } else {
        open.add(res);
        res.once('close', () => open.delete(res));
      }
      next();
    },
    get draining() {
      return draining;
    },
    start() {
      draining = true;
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
    },
  };
}
