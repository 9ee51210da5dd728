// Errors of the console's own routes, in the proxy's JSON shape; supervisor errors pass through with their own code.
import type { ErrorRequestHandler } from 'express';

/**
 * A console route's refusal: HTTP status, stable code, message and optional details (e.g. the command to run instead).
 */
export class ConsoleError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ConsoleError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * Answers a ConsoleError as `{ error: { code, message, details? } }`; anything else goes on to the control port's
 * handler.
 */
export const consoleErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (!(error instanceof ConsoleError)) {
    next(error);
    return;
  }
  res.status(error.status).json({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined && { details: error.details }),
    },
  });
};
