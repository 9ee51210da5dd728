// A backend that misbehaves on purpose, for forwarding tests: hop-by-hop and repeated headers, streamed bodies,
// silence, death mid-answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { id: { type: 'string' }, port: { type: 'string', default: '0' } } });
const id = values.id ?? 'odd';
/** Requests that ended because the other side (the proxy) closed them before the answer. */
let abandoned = 0;
/**
 * With ODD_RESET_KEPT_CHECKS=1, a health check that arrives on a connection which already carried one is answered
 * with a reset: what a check meets when the backend closes a kept connection at its keep-alive timeout.
 */
const resetKeptChecks = process.env.ODD_RESET_KEPT_CHECKS === '1';
const requestsOnConnection = new WeakMap<object, number>();
let keptChecksReset = 0;

const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const earlier = requestsOnConnection.get(req.socket) ?? 0;
  requestsOnConnection.set(req.socket, earlier + 1);
  if (resetKeptChecks && earlier > 0 && req.headers['user-agent']?.includes('health-check')) {
    keptChecksReset += 1;
    req.socket.resetAndDestroy();
    return;
  }
  switch (path) {
    case '/odd/kept-checks-reset':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keptChecksReset }));
      return;
    case '/healthz':
    case '/odd/abandoned':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ abandoned }));
      return;
    case '/odd/headers': {
      // What arrived, and an answer with hop-by-hop headers and two Set-Cookie lines to be relayed.
      const received = JSON.stringify({ headers: req.rawHeaders });
      res.writeHead(201, 'Made Up', [
        'Content-Type',
        'application/json',
        'Set-Cookie',
        'first=1; Path=/',
        'Set-Cookie',
        'second=2; Path=/',
        'Keep-Alive',
        'timeout=99',
        'Cache-Control',
        'public, max-age=60',
        'Content-Length',
        String(Buffer.byteLength(received)),
      ]);
      res.end(received);
      return;
    }
    case '/odd/chunked': {
      // Three chunks without a Content-Length, a few milliseconds apart.
      res.writeHead(200, { 'content-type': 'text/plain' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(`chunk-${sent} `);
        if (++sent === 3) {
          clearInterval(timer);
          res.end('done');
        }
      }, 5);
      return;
    }
    case '/odd/silent':
      // Never answers; counts the proxy giving up on it.
      res.on('close', () => {
        if (!res.writableFinished) abandoned++;
      });
      return;
    case '/odd/dies-mid-body':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      res.write('only the first bytes');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    default:
      req.resume();
      req.on('end', () => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ instance: id }));
      });
  }
});

server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ level: 30, msg: 'listening', port, instance: id })}\n`);
});

process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
