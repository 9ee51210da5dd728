// The public listener: rules to pools, the landing page, and JSON errors for anything else; no control routes here.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { rawErrorAnswer, sendError } from '../errors.ts';
import type { Forwarder } from '../forwarding/forwarder.ts';
import type { ForwardObserver } from '../forwarding/observer.ts';
import type { RouteTable, Rule } from '../routing/route-table.ts';
import { RoutedRequest } from '../routing/routed-request.ts';
import { landingPage } from './landing-page.ts';

/** The public server and the switch that makes it close connections while shutting down. */
export interface PublicServer {
  server: http.Server;
  /** From now on every answer asks the client to close its connection. */
  beginShutdown(): void;
}

/** Builds the public server (not yet listening). */
export function createPublicServer(
  routes: RouteTable,
  forwarder: Forwarder,
  observer: ForwardObserver,
  rulesInConfigOrder: readonly Rule[],
): PublicServer {
  const landing = Buffer.from(landingPage(rulesInConfigOrder));
  let shuttingDown = false;

  const server = http.createServer({ IncomingMessage: RoutedRequest }, (incoming, res) => {
    const req = incoming as RoutedRequest;
    if (shuttingDown) res.shouldKeepAlive = false;
    const url = req.url ?? '/';
    const pool = routes.match(url);
    if (pool !== undefined) {
      req.pool = pool;
      forwarder.web(req, res);
      return;
    }
    if ((url === '/' || url.startsWith('/?')) && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': landing.length });
      res.end(req.method === 'HEAD' ? undefined : landing);
      return;
    }
    observer.refused(undefined, 'no_route');
    sendError(res, 'no_route');
  });

  server.on('upgrade', (incoming: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const req = incoming as RoutedRequest;
    const pool = routes.match(req.url ?? '/');
    if (pool === undefined) {
      socket.end(rawErrorAnswer('no_route'));
      return;
    }
    // http-proxy-3 cuts any other upgrade without a word; the client gets the reason instead.
    if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      observer.refused(pool, 'unsupported_upgrade');
      socket.end(rawErrorAnswer('unsupported_upgrade'));
      return;
    }
    req.pool = pool;
    forwarder.ws(req, socket, head);
  });

  // Node answers an Expect other than 100-continue with a bare 417 unless told otherwise.
  server.on('checkExpectation', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    observer.refused(undefined, 'expectation_failed');
    sendError(res, 'expectation_failed');
  });

  // Malformed requests get the same JSON shape as every other error, not Node's bare 400; oversized headers get 431
  // headers_too_large, as a shop instance answers them (apps/cart/http/client-errors.ts).
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (socket.writable) {
      socket.end(rawErrorAnswer(error.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'bad_request'));
    }
    socket.destroy();
  });

  return {
    server,
    beginShutdown() {
      shuttingDown = true;
    },
  };
}
