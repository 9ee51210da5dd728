// The proxy cookie's attributes (name, path, max-age, HttpOnly, Secure, SameSite) with safe defaults.
import { z } from 'zod';
import { duration } from '../config/duration.ts';

const DAY_MS = 86_400_000;

/** Cookie names are RFC 6265 tokens. */
export const cookieName = z
  .string()
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/, "expected a cookie name (letters, digits and !#$%&'*+-.^_`|~)");

/**
 * The attributes of the proxy's own cookie; `path` defaults to the rule's path, `maxAge` to the stickiness duration.
 */
export const cookieAttributes = z
  .strictObject({
    name: cookieName.default('LABLB'),
    path: z
      .string()
      .regex(/^\/[^;\s]*$/, 'expected a path starting with "/"')
      .optional(),
    maxAge: duration(1_000, 7 * DAY_MS).optional(),
    httpOnly: z.boolean().default(true),
    secure: z.boolean().default(false),
    sameSite: z.enum(['Strict', 'Lax', 'None']).default('Lax'),
  })
  .refine((attributes) => attributes.sameSite !== 'None' || attributes.secure, {
    message: 'SameSite=None requires secure: true (browsers drop the cookie otherwise)',
    path: ['sameSite'],
  });

/** Parsed cookie attributes. */
export type CookieAttributes = z.output<typeof cookieAttributes>;

/** The `; Path=...; Max-Age=...` tail of the Set-Cookie line, built once per pool. */
export function setCookieTail(attributes: CookieAttributes, defaultPath: string, defaultMaxAgeMs: number): string {
  const maxAgeSeconds = Math.ceil((attributes.maxAge ?? defaultMaxAgeMs) / 1_000);
  let tail = `; Path=${attributes.path ?? defaultPath}; Max-Age=${maxAgeSeconds}; SameSite=${attributes.sameSite}`;
  if (attributes.httpOnly) tail += '; HttpOnly';
  if (attributes.secure) tail += '; Secure';
  return tail;
}
