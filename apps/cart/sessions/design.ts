// The one interface the cart routes use, so that they never know which session design runs underneath.
import type { Request, RequestHandler, Response } from 'express';
import type { CartLine } from '../cart.ts';
import type { SessionMode } from '../config.ts';

/** How far the design's own store is reachable, for `/healthz`. */
export type StoreStatus = 'none' | 'ok' | 'unavailable';

/** Where a session's cart lives: in-process memory, Redis, or a signed token held by the client. */
export interface SessionDesign {
  readonly mode: SessionMode;
  /** Runs before the cart routes (express-session, for example); may be a pass-through. */
  readonly middleware: RequestHandler;
  /** The cart of this request's session; empty for a new session. */
  load(req: Request, res: Response): Promise<CartLine[]>;
  /** Stores `lines` as this session's cart; on failure the stored cart stays as it was. */
  save(req: Request, res: Response, lines: CartLine[]): Promise<void>;
  /** Forgets this session's cart. */
  clear(req: Request, res: Response): Promise<void>;
  /** Resolves once the store answers, or after `timeoutMs` if it does not (the app then starts and fails fast). */
  ready(timeoutMs: number): Promise<void>;
  /** Reachability of the store behind the design. */
  storeStatus(): StoreStatus;
  /** Releases connections at shutdown. */
  close(): Promise<void>;
}
