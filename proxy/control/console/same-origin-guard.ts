// Refuses state-changing requests that a page of another origin sends to the control port (a cross-site form or fetch).
import type { RequestHandler } from 'express';
import { ConsoleError } from './console-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Lets through reads, requests without an `Origin` header (curl, the fault CLI, scripts) and requests whose
 * `Origin` is the control port itself (the console); refuses the rest with 403 `cross_origin`.
 */
export const sameOriginGuard: RequestHandler = (req, _res, next) => {
  const origin = req.headers.origin;
  if (SAFE_METHODS.has(req.method) || origin === undefined) {
    next();
    return;
  }
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    // "null" or garbage: not this origin
  }
  if (originHost === undefined || originHost !== req.headers.host) {
    throw new ConsoleError(403, 'cross_origin', `The control port only accepts changes from its own pages, not from ${origin}.`);
  }
  next();
};
