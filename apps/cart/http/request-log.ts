// One structured log line per request (method, url, status, time), never headers, cookies or tokens.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Logs each finished or abandoned request at info level; costs nothing when info is off. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = performance.now();
    res.once('close', () => {
      const record = {
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
      if (res.writableFinished) logger.info(record, 'request');
      else logger.info(record, 'request aborted by the client');
    });
    next();
  };
}
