// HTTP for fuzzing: requests with exactly the headers given (Host and duplicates included) and raw bytes on a socket,
// with the answers parsed back, since fetch would normalise or refuse most of what the fuzz tests send.
import http from 'node:http';
import net from 'node:net';
import type { SeenAnswer } from './fuzz-lab.ts';

/** A request whose header values may repeat (an array sends the header once per value). */
export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** An answer with its headers. */
export interface WireAnswer extends SeenAnswer {
  headers: http.IncomingHttpHeaders;
}

/**
 * Sends `request` to `base` (e.g. `http://127.0.0.1:PORT`) through `agent`; a missing `host` header gets the base's.
 */
export function send(base: string, request: WireRequest, agent: http.Agent): Promise<WireAnswer> {
  const url = new URL(base);
  // Node frames no body of a DELETE or OPTIONS by itself: without a length the body would run into the next request.
  const length =
    request.body === undefined || 'content-length' in request.headers || 'transfer-encoding' in request.headers
      ? {}
      : { 'content-length': String(Buffer.byteLength(request.body)) };
  const headers = { host: url.host, ...length, ...request.headers };
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers,
        setHost: false,
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
            method: request.method,
            headers: response.headers,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** One answer read off a raw socket. */
export interface RawAnswer extends SeenAnswer {
  headers: Record<string, string>;
}

/**
 * Writes `bytes` to `port` on 127.0.0.1, half-closes, and resolves with every answer the server sent before it closed.
 * `method` is what the first answer answers (for the HEAD rule of the checks).
 */
export function sendRaw(port: number, bytes: string | Buffer, method = 'GET'): Promise<RawAnswer[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    // A server that never answers and never closes would hang the test; it is cut, and the missing answer fails the
    // check.
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => resolve(parseAnswers(Buffer.concat(chunks).toString('latin1'), method)));
    socket.end(bytes);
  });
}

/** Splits a byte stream of HTTP/1.1 answers (content-length, chunked, or up to the close) into answers. */
export function parseAnswers(stream: string, method: string): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = stream;
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd === -1) throw new Error(`an answer without a complete head: ${JSON.stringify(rest.slice(0, 200))}`);
    const [statusLine = '', ...lines] = rest.slice(0, headEnd).split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!status) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine.slice(0, 200))}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.slice(headEnd + 4);
    let body = '';
    const code = Number(status[1]);
    const bodiless = method === 'HEAD' || code === 204 || code === 304 || code < 200;
    if (bodiless) {
      body = '';
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      body = rest.slice(0, length);
      rest = rest.slice(length);
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      for (;;) {
        const sizeEnd = rest.indexOf('\r\n');
        const size = parseInt(rest.slice(0, sizeEnd), 16);
        rest = rest.slice(sizeEnd + 2);
        if (!(size > 0)) {
          rest = rest.slice(rest.indexOf('\r\n') + 2);
          break;
        }
        body += rest.slice(0, size);
        rest = rest.slice(size + 2);
      }
    } else {
      body = rest;
      rest = '';
    }
    answers.push({
      status: code,
      contentType: headers['content-type'] ?? '',
      body: Buffer.from(body, 'latin1').toString('utf8'),
      method,
      headers,
    });
  }
  return answers;
}
