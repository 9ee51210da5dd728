// Names the instance on every response, errors included, so that every fault's effect is visible from outside.
import type { RequestHandler } from 'express';

/** Sets `X-Served-By: <instance id>` before anything else can answer. */
export function servedBy(instanceId: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Served-By', instanceId);
    next();
  };
}
