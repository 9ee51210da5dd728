// A TCP listener with a backlog of one that never answers: once stopped (SIGSTOP) and its backlog full, connection
// attempts to it hang, as they do to a killed container's vanished address.
import net, { type AddressInfo } from 'node:net';

const held: net.Socket[] = [];
// connections accepted while running are held open and never read: no HTTP answer, ever
const server = net.createServer((socket) => held.push(socket.on('error', () => undefined)));

server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ level: 30, msg: 'listening', port })}\n`);
});
