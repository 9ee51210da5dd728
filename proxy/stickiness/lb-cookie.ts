// The proxy's own duration-based cookie, like ALB's AWSALB or HAProxy's `cookie insert`: signed, opaque, sliding.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { duration, formatDuration } from '../config/duration.ts';
import type { Target } from '../pool/target.ts';
import { cookieAttributes, setCookieTail } from './cookie-attributes.ts';
import { appendSetCookie, keepCookieOutOfCaches, readCookie } from './cookie-header.ts';
import { CookieSigner } from './cookie-signing.ts';
import type { StickinessKind, StickyMiss } from './method.ts';
import { type BoundSession, SessionTable } from './session-table.ts';

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

const options = z.strictObject({
  type: z.literal('lb-cookie'),
  /** How long a session stays bound after its last answer (sliding), 1 s to 7 days like ALB. */
  duration: duration(SECOND_MS, 7 * DAY_MS).default(DAY_MS),
  cookie: cookieAttributes.prefault({}),
  /** How many sessions the proxy remembers for its fast path and the bound-session counts. */
  maxSessions: z.number().int().min(100).max(1_000_000).default(50_000),
});

// A random process prefix plus a counter: unique session ids without a random draw per session.
const noncePrefix = randomBytes(6).toString('base64url');
let nonceCounter = 0;

/**
 * `lb-cookie`. The value is `<session>.<base64url(target id ~ expiry)>.<HMAC>`, the HMAC covering the
 * pool name too. A value the proxy issued itself and still remembers is recognised by comparison, so
 * the steady state costs no HMAC; other values are verified once, then remembered. A cookie is
 * re-signed with a new expiry at most every tenth of the duration (at most once a second) and sent
 * when it changes or the client presented another value, like HAProxy's `cookie insert` with `maxidle`: the
 * browser's Max-Age slides with each re-signing, and the answers between carry neither the cookie nor its
 * `Cache-Control` (ALB sends its cookie on every answer, about 200 bytes each).
 */
export const lbCookie: StickinessKind<typeof options> = {
  name: 'lb-cookie',
  options,
  view: (config) => ({
    ...config,
    duration: formatDuration(config.duration),
    cookie: {
      ...config.cookie,
      ...(config.cookie.maxAge !== undefined && { maxAge: formatDuration(config.cookie.maxAge) }),
    },
  }),
  create(config, context) {
    const name = config.cookie.name;
    const tail = setCookieTail(config.cookie, context.defaultCookiePath, config.duration);
    const refreshEveryMs = Math.min(SECOND_MS, config.duration / 10);
    const signer = new CookieSigner(context.secret);
    const sessions = new SessionTable(config.maxSessions);
    const signed = (session: string, payload: string) => `${context.pool.name}\n${session}.${payload}`;

    function verified(value: string, now: number): BoundSession | StickyMiss {
      const firstDot = value.indexOf('.');
      const lastDot = value.lastIndexOf('.');
      if (firstDot <= 0 || lastDot === firstDot) return 'invalid';
      const session = value.slice(0, firstDot);
      const payload = value.slice(firstDot + 1, lastDot);
      if (!signer.verify(signed(session, payload), value.slice(lastDot + 1))) return 'invalid';
      const [targetId, expiry] = Buffer.from(payload, 'base64url').toString('utf8').split('~');
      const expiresAt = Number(expiry);
      if (!targetId || !Number.isSafeInteger(expiresAt)) return 'invalid';
      if (expiresAt <= now) return 'expired';
      const known = sessions.get(session);
      return known && known.expiresAt > now ? known : sessions.set(session, targetId, expiresAt, value, now);
    }

    function issue(entry: BoundSession, target: Target, now: number): void {
      entry.targetId = target.id;
      entry.expiresAt = now + config.duration;
      entry.issuedAt = now;
      const payload = Buffer.from(`${target.id}~${entry.expiresAt}`, 'utf8').toString('base64url');
      entry.value = `${entry.key}.${payload}.${signer.sign(signed(entry.key, payload))}`;
    }

    return {
      find(req, now) {
        const value = readCookie(req.headers.cookie, name);
        if (value === undefined) return 'new';
        const dot = value.indexOf('.');
        const known = dot > 0 ? sessions.get(value.slice(0, dot)) : undefined;
        const entry = known !== undefined && known.value === value ? known : verified(value, now);
        if (typeof entry === 'string') return entry;
        if (entry.expiresAt <= now) return 'expired';
        req.session = entry;
        req.presentedCookie = value;
        return context.pool.get(entry.targetId) ?? 'target-gone';
      },

      bind(req, target, answer, now) {
        let entry = req.session;
        if (entry === undefined) {
          entry = sessions.set(`${noncePrefix}${(nonceCounter++).toString(36)}`, target.id, 0, '', now);
          issue(entry, target, now);
        } else if (entry.targetId !== target.id || now - entry.issuedAt >= refreshEveryMs) {
          issue(entry, target, now);
        } else if (req.presentedCookie === entry.value) {
          return;
        }
        appendSetCookie(answer, `${name}=${entry.value}${tail}`);
        keepCookieOutOfCaches(answer);
      },

      boundSessions: (now) => sessions.countByTarget(now),
    };
  },
};
