// Turns every failure into the JSON error shape with a stable code: no stack trace or HTML ever reaches a client.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../errors.ts';

// body-parser and http-errors describe client mistakes with a `type` or a 4xx `status`.
const bodyParserTypes: Record<string, ErrorCode> = {
  'entity.parse.failed': 'invalid_json',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
  'entity.verify.failed': 'bad_request',
  'request.aborted': 'bad_request',
  'request.size.invalid': 'bad_request',
};

/** Maps any thrown value to an AppError. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const described = error as { type?: unknown; status?: unknown } | null;
  if (typeof described?.type === 'string' && described.type in bodyParserTypes) {
    return new AppError(bodyParserTypes[described.type] as ErrorCode, undefined, { cause: error });
  }
  if (typeof described?.status === 'number' && described.status >= 400 && described.status < 500) {
    return new AppError(described.status === 404 ? 'not_found' : 'bad_request', undefined, { cause: error });
  }
  return new AppError('internal_error', undefined, { cause: error });
}

/**
 * The last middleware: logs what was unexpected (an outage is logged once, by the store) and answers with the error's
 * JSON.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.code === 'internal_error') {
      const cause = appError.cause instanceof Error ? appError.cause : appError;
      logger.error({ err: cause, method: req.method, url: req.originalUrl, code: appError.code }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(appError.status).setHeader('Cache-Control', 'no-store').json(appError.toBody());
  };
}

/** 404 for every path no route took. */
export function notFound(): RequestHandler {
  return (req, _res, next) => next(new AppError('not_found', `Nothing at ${req.method} ${req.path}.`));
}
