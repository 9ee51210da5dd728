// `/console/public/*`: the public listener seen from the console's own origin, so the browser can shop through the
// proxy with plain same-origin fetch (no CORS), each shop's cookies kept apart by path as on the public listener.
import express, { type Router } from 'express';
import { LabError } from '../errors.ts';
import { underPrefix } from './cookie-scope.ts';

/** Where the mirror is mounted on the control port. */
export const PUBLIC_MIRROR_PATH = '/console/public';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const REQUEST_HEADERS = ['accept', 'content-type', 'cookie'];
const ANSWER_HEADERS = ['content-type', 'cache-control', 'x-served-by', 'x-upstream', 'x-upstream-reason'];
/** Longer than a pool's default upstream timeout (15 s), so the proxy's own 504 reaches the browser. */
const TIMEOUT_MS = 20_000;

/**
 * Mirrors every request under `/console/public` to `publicUrl()` and the answer back, with cookies and redirects moved
 * under the mirror.
 */
export function publicMirror(publicUrl: () => string): Router {
  const router = express.Router();
  router.use(PUBLIC_MIRROR_PATH, express.raw({ type: () => true, limit: '16kb' }), async (req, res) => {
    if (!METHODS.has(req.method))
      throw new LabError('method_not_allowed', `The console does not pass ${req.method} requests to the shops.`);
    const origin = new URL(publicUrl()).origin;
    // Built by concatenation, never new URL(req.url, base): a path like //elsewhere must stay a path of the proxy.
    const target = new URL(`${origin}${req.url.startsWith('/') ? req.url : `/${req.url}`}`);
    const headers = new Headers();
    for (const name of REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const hasBody = Buffer.isBuffer(req.body) && req.body.length > 0;
    let answer: Response;
    try {
      answer = await fetch(target, {
        method: req.method,
        headers,
        body: hasBody ? req.body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new LabError(
        'public_listener_unreachable',
        `The proxy's public listener at ${origin} did not answer (${(error as Error).message}).`,
      );
    }
    res.status(answer.status);
    for (const name of ANSWER_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    const location = answer.headers.get('location');
    if (location !== null)
      res.setHeader('location', location.startsWith('/') ? `${PUBLIC_MIRROR_PATH}${location}` : location);
    const cookies = answer.headers.getSetCookie().map((cookie) => underPrefix(cookie, PUBLIC_MIRROR_PATH));
    if (cookies.length > 0) res.setHeader('set-cookie', cookies);
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  return router;
}
