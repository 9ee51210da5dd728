// Answers requests that Node's HTTP layer refuses itself (oversized headers, broken framing, an unknown Expect) with
// the JSON error shape too.
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, type ErrorCode } from '../errors.ts';

/** Replaces Node's bare 400/417/431 replies with JSON ones that name the instance. */
export function answerClientErrors(server: Server, instanceId: string): void {
  server.on('checkExpectation', (_req, res: ServerResponse) => {
    const body = JSON.stringify(new AppError('expectation_failed').toBody());
    res.writeHead(417, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Served-By': instanceId,
      'Cache-Control': 'no-store',
    });
    res.end(body);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const code: ErrorCode = error.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'bad_request';
    const appError = new AppError(code);
    const body = JSON.stringify(appError.toBody());
    socket.end(
      `HTTP/1.1 ${appError.status} ${appError.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Served-By: ${instanceId}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
