// Small request bodies are read whole before forwarding, so a request that failed to connect can be sent again.
import { Readable } from 'node:stream';
import type { RoutedRequest } from '../routing/routed-request.ts';

/** Bodies up to this size are kept for retries; larger or chunked ones stream and are not retried once sent. */
export const REPLAYABLE_BODY_LIMIT = 64 * 1024;

/** True when the request announces a body. */
export function hasBody(req: RoutedRequest): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** True when the body is announced with a length small enough to keep. */
export function isReplayable(req: RoutedRequest): boolean {
  const length = Number(req.headers['content-length']);
  return req.headers['transfer-encoding'] === undefined && length > 0 && length <= REPLAYABLE_BODY_LIMIT;
}

/** Reads the whole (small) body into `req.body`, then calls `next`; a client that leaves stops it silently. */
export function readBody(req: RoutedRequest, next: () => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > REPLAYABLE_BODY_LIMIT) req.destroy();
    else chunks.push(chunk);
  });
  req.once('end', () => {
    req.body = Buffer.concat(chunks, size);
    next();
  });
}

/** A fresh stream of the kept body for one attempt. */
export function bodyStream(body: Buffer): Readable {
  return Readable.from([body], { objectMode: false });
}
