// Parses JSON request bodies with a size cap, and refuses bodies that do not say they are JSON.
import express, { type RequestHandler } from 'express';
import { AppError } from '../errors.ts';

/** The largest accepted request body. */
export const MAX_BODY = '16kb';

/** A JSON body parser for write routes: 415 for other media types, 413 above 16 KB, 400 for broken JSON. */
export function jsonBody(): RequestHandler {
  const parse = express.json({ limit: MAX_BODY, strict: true });
  return (req, res, next) => {
    if (!req.is('application/json')) {
      next(new AppError('unsupported_media_type'));
      return;
    }
    parse(req, res, next);
  };
}
