// The one interface the cart routes use, so that they never know which session design runs underneath.
import type { Request, RequestHandler, Response } from 'express';
import { type AddItem, addToCart, type CartLine, removeFromCart } from '../cart.ts';
import type { CartWrites, SessionMode } from '../config.ts';

/** How far the design's own store is reachable, for `/healthz`. */
export type StoreStatus = 'none' | 'ok' | 'unavailable';

/** How a design writes a cart change; `token` is the jwt design's, where the client holds the only copy. */
export type CartWriteMethod = CartWrites | 'token';

/** Where a session's cart lives: in-process memory, Redis, or a signed token held by the client. */
export interface SessionDesign {
  readonly mode: SessionMode;
  /** How cart changes are written, shown by `/healthz` and the shop page. */
  readonly cartWrites: CartWriteMethod;
  /** Runs before the cart routes (express-session, for example); may be a pass-through. */
  readonly middleware: RequestHandler;
  /** The cart of this request's session; empty for a new session. */
  load(req: Request, res: Response): Promise<CartLine[]>;
  /** Adds a line (or to a line) and returns the cart as stored after the change; on failure nothing changed. */
  add(req: Request, res: Response, item: AddItem): Promise<CartLine[]>;
  /** Removes the line of `sku` and returns the cart after the change; a sku not in the cart is a 404. */
  remove(req: Request, res: Response, sku: string): Promise<CartLine[]>;
  /** Empties this session's cart. */
  clear(req: Request, res: Response): Promise<void>;
  /** Resolves once the store answers, or after `timeoutMs` if it does not (the app then starts and fails fast). */
  ready(timeoutMs: number): Promise<void>;
  /** Reachability of the store behind the design. */
  storeStatus(): StoreStatus;
  /** Releases connections at shutdown. */
  close(): Promise<void>;
}

/** The add and remove of a design that writes the whole cart at once: read it, change it in memory, write it back. */
export function readModifyWrite(
  load: (req: Request, res: Response) => Promise<CartLine[]>,
  save: (req: Request, res: Response, lines: CartLine[]) => Promise<void>,
): Pick<SessionDesign, 'add' | 'remove'> {
  return {
    async add(req, res, item) {
      const lines = addToCart(await load(req, res), item);
      await save(req, res, lines);
      return lines;
    },
    async remove(req, res, sku) {
      const lines = removeFromCart(await load(req, res), sku);
      await save(req, res, lines);
      return lines;
    },
  };
}
