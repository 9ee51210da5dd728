// The floor of a Node proxy: node:http in, node:http out with a keep-alive agent, round robin, nothing else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { backendPorts, RoundRobin } from './floor-args.ts';

const ports = backendPorts(process.argv.slice(2));
const next = new RoundRobin(
  ports.map((port) => ({ port, agent: new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' }) })),
);

const server = http.createServer((req, res) => {
  const target = next.pick();
  const outbound = http.request(
    {
      host: '127.0.0.1',
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: target.agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    },
  );
  outbound.once('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(outbound);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
