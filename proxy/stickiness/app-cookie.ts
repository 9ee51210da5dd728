// Application-cookie stickiness (ALB's application-based stickiness, nginx `sticky learn`): follow the app's own
// session cookie.
import { z } from 'zod';
import { duration, formatDuration } from '../config/duration.ts';
import { cookieName } from './cookie-attributes.ts';
import { readCookie, setCookieValue } from './cookie-header.ts';
import type { StickinessKind } from './method.ts';
import { SessionTable } from './session-table.ts';

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

const options = z.strictObject({
  type: z.literal('app-cookie'),
  /** The cookie the application sets, e.g. `connect.sid` for express-session. */
  cookieName,
  /** How long a learned value stays bound after its last use (sliding). */
  duration: duration(SECOND_MS, 7 * DAY_MS).default(DAY_MS),
  /** How many values the proxy remembers; the oldest make room beyond that. */
  maxSessions: z.number().int().min(100).max(1_000_000).default(50_000),
});

/**
 * `app-cookie`: learns `value -> target` from the Set-Cookie lines of answers and routes requests
 * that present a learned value there. A value the proxy never saw (or forgot) is `unknown`.
 */
export const appCookie: StickinessKind<typeof options> = {
  name: 'app-cookie',
  options,
  view: (config) => ({ ...config, duration: formatDuration(config.duration) }),
  create(config, context) {
    const sessions = new SessionTable(config.maxSessions);

    return {
      find(req, now) {
        const value = readCookie(req.headers.cookie, config.cookieName);
        if (value === undefined || value === '') return 'new';
        const entry = sessions.get(value);
        if (entry === undefined) return 'unknown';
        if (entry.expiresAt <= now) return 'expired';
        entry.expiresAt = now + config.duration;
        req.session = entry;
        return context.pool.get(entry.targetId) ?? 'target-gone';
      },

      bind(req, target) {
        // After a failover the same application cookie now lives on the new target.
        if (req.session !== undefined) req.session.targetId = target.id;
      },

      learn(req, target, answer, now) {
        const lines = answer['set-cookie'];
        if (lines === undefined) return;
        for (const line of lines) {
          const value = setCookieValue(line, config.cookieName);
          if (value === undefined) continue;
          if (req.session !== undefined && req.session.value !== value) sessions.delete(req.session.key);
          if (value === '') continue;
          req.session = sessions.set(value, target.id, now + config.duration, value, now);
        }
      },

      boundSessions: (now) => sessions.countByTarget(now),
    };
  },
};
