// The floor of http-proxy-3: the same per-target options as the lab proxy, round robin, no routing, stickiness or
// metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import { backendPorts, RoundRobin } from './floor-args.ts';

const ports = backendPorts(process.argv.slice(2));
const next = new RoundRobin(
  ports.map((port) => ({
    target: { protocol: 'http:', host: '127.0.0.1', port },
    agent: new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' }),
    prependPath: false,
    toProxy: true,
  })),
);
const proxy = createProxyServer({});

const server = http.createServer((req, res) => {
  proxy.web(req, res, next.pick(), () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
