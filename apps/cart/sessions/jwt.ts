// The stateless design: the cart travels in an HS256-signed token cookie, so no instance holds any session state.
import { parse as parseCookies, type SerializeOptions, serialize as serializeCookie } from 'cookie';
import type { Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { type CartLine, sanitizeLines, storedLineSchema } from '../cart.ts';
import type { CartConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { readModifyWrite, type SessionDesign } from './design.ts';

/** The cookie that carries the cart token. */
export const JWT_COOKIE = 'cart_jwt';
/** RFC 6265 §6.1: browsers keep cookies of at least 4096 bytes, counting name, value and attributes. */
export const MAX_COOKIE_BYTES = 4096;

const ISSUER = 'session-stickiness-lab';
// Pinned so that `alg: none` and RS/HS confusion tokens are refused by the library itself.
const ALGORITHMS: jwt.Algorithm[] = ['HS256'];

// Only sku, qty and note are read from a token: prices always come from the catalog.
const payloadSchema = z.object({ cart: z.array(storedLineSchema).max(100) });

/** Why a token was ignored; sent to the client as `X-Session-Reset`. */
export type ResetReason = 'expired' | 'bad_signature' | 'bad_algorithm' | 'malformed' | 'too_large' | 'invalid_payload';

/** Carts in a signed token: survive any instance, limited by the 4 KB cookie and impossible to revoke before `exp`. */
export function jwtDesign(config: CartConfig): SessionDesign {
  const cookieOptions = (req: Request): SerializeOptions => ({
    path: config.basePath,
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    maxAge: config.sessionTtlSeconds,
  });

  const setCookie = (res: Response, serialized: string) => {
    // A reset earlier in the same request may have queued a clearing cookie; the newest value must be the only one.
    const previous = res.getHeader('Set-Cookie');
    const others = (Array.isArray(previous) ? previous : previous ? [String(previous)] : []).filter(
      (value) => !value.startsWith(`${JWT_COOKIE}=`),
    );
    res.setHeader('Set-Cookie', [...others, serialized]);
  };

  const expire = (req: Request, res: Response) =>
    setCookie(res, serializeCookie(JWT_COOKIE, '', { ...cookieOptions(req), maxAge: 0, expires: new Date(0) }));

  const reset = (req: Request, res: Response, reason: ResetReason): CartLine[] => {
    res.setHeader('X-Session-Reset', reason);
    expire(req, res);
    return [];
  };

  const load = async (req: Request, res: Response): Promise<CartLine[]> => {
    const token = readTokenCookie(req);
    if (token === undefined) return [];
    if (token.length > MAX_COOKIE_BYTES) return reset(req, res, 'too_large');
    let payload: unknown;
    try {
      payload = jwt.verify(token, config.jwtSecret, { algorithms: ALGORITHMS, issuer: ISSUER });
    } catch (error) {
      return reset(req, res, resetReason(error));
    }
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) return reset(req, res, 'invalid_payload');
    return sanitizeLines(parsed.data.cart);
  };
  // Each answer's token is built from the token its request carried: of two overlapping changes, the browser keeps
  // whichever answer arrives last. No token can fix that; see docs/scenarios.md, "concurrent-tabs".
  const save = async (req: Request, res: Response, lines: CartLine[]): Promise<void> => {
    if (lines.length === 0) {
      expire(req, res);
      return;
    }
    const token = jwt.sign({ cart: lines }, config.jwtSecret, {
      algorithm: 'HS256',
      expiresIn: config.sessionTtlSeconds,
      issuer: ISSUER,
    });
    const serialized = serializeCookie(JWT_COOKIE, token, cookieOptions(req));
    const bytes = Buffer.byteLength(serialized);
    if (bytes > MAX_COOKIE_BYTES) {
      throw new AppError(
        'cart_too_large_for_token',
        `The cart would need a ${bytes}-byte cookie; browsers keep at most ${MAX_COOKIE_BYTES}. ` +
          'The cart was not changed.',
      );
    }
    setCookie(res, serialized);
  };

  return {
    mode: 'jwt',
    cartWrites: 'token',
    middleware: (_req, _res, next) => next(),
    load,
    ...readModifyWrite(load, save),
    async clear(req, res) {
      expire(req, res);
    },
    ready: async () => {},
    storeStatus: () => 'none',
    close: async () => {},
  };
}

function readTokenCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header?.includes(`${JWT_COOKIE}=`)) return undefined;
  const value = parseCookies(header)[JWT_COOKIE];
  return value === '' ? undefined : value;
}

function resetReason(error: unknown): ResetReason {
  if (error instanceof jwt.TokenExpiredError) return 'expired';
  if (error instanceof jwt.JsonWebTokenError) {
    if (error.message === 'invalid signature') return 'bad_signature';
    if (error.message === 'invalid algorithm' || error.message === 'jwt signature is required') return 'bad_algorithm';
    if (error.message.startsWith('jwt issuer invalid')) return 'invalid_payload';
  }
  return 'malformed';
}
