// The bench's minimal backend: a fixed small answer on every path, so a run measures the proxy rather than the app.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { id: { type: 'string', default: 'echo' }, port: { type: 'string', default: '0' } },
});
const id = values.id ?? 'echo';
const body = Buffer.from(JSON.stringify({ instance: id, items: [] }));

const head = { 'content-type': 'application/json', 'content-length': body.length, 'x-served-by': id };
let sessions = 0;

const server = http.createServer((req, res) => {
  // Read (and discard) any body, so keep-alive connections stay usable.
  req.resume();
  // like an application with sessions: a client without one gets one, for app-cookie stickiness to learn
  if (req.headers.cookie?.includes('benchsession=')) res.writeHead(200, head);
  else res.writeHead(200, { ...head, 'set-cookie': `benchsession=${id}-${sessions++}; Path=/; HttpOnly` });
  res.end(body);
});

// Idle connections stay open longer than any proxy in front keeps its own (ours 4 s, Node's agent the announced
// timeout less 1 s), as AWS asks of an ALB's targets: the proxy closes an idle connection first, never the backend
// while the proxy is sending on it. A proxy slowed fifty times by callgrind would otherwise lose that race.
server.keepAliveTimeout = 65_000;

server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ level: 30, msg: 'listening', port, instance: id })}\n`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
