// The relay as a service of its own (dist/redis-relay.mjs in the image): compose runs it in front of Redis, and its
// toxics are set through a control port that only its own container's loopback reaches (see relay-toxic.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { LabError } from '../../lab/errors.ts';
import { startTcpRelay, type TcpRelay } from './tcp-relay.ts';
import type { ToxicName } from './toxics.ts';

/** Where the relay's control port listens by default: toxiproxy's API port, on loopback only. */
export const RELAY_CONTROL_PORT = 8474;

/** What the service reads from its environment. */
export interface RelayServiceSettings {
  /** `host:port` of the server to relay to (`RELAY_UPSTREAM`, default `redis:6379`). */
  upstream: string;
  /** Where clients connect (`RELAY_PORT`, default 6379, on every interface of the container). */
  port: number;
  /** The control port on 127.0.0.1 (`RELAY_CONTROL_PORT`, default 8474). */
  controlPort: number;
}

/** The settings from `env`, with their defaults. */
export function relaySettingsFrom(env: NodeJS.ProcessEnv): RelayServiceSettings {
  return {
    upstream: env.RELAY_UPSTREAM ?? 'redis:6379',
    port: Number(env.RELAY_PORT ?? 6379),
    controlPort: Number(env.RELAY_CONTROL_PORT ?? RELAY_CONTROL_PORT),
  };
}

/** Reads a small JSON body; an empty one is `{}`. */
async function jsonBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 4_096) throw new LabError('payload_too_large');
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new LabError('invalid_json');
  }
}

/** `GET /toxics`, `PUT /toxics/:name` (settings as JSON), `DELETE /toxics`: each answers the toxics in force. */
async function control(relay: TcpRelay, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  try {
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    const named = /^\/toxics\/(\w+)$/.exec(path);
    if (req.method === 'GET' && path === '/toxics') send(200, relay.toxics());
    else if (req.method === 'DELETE' && path === '/toxics') {
      relay.clear();
      send(200, relay.toxics());
    } else if (req.method === 'PUT' && named) {
      relay.set(named[1] as ToxicName, await jsonBody(req));
      send(200, relay.toxics());
    } else throw new LabError('not_found', `Nothing at ${req.method} ${path}.`);
  } catch (error) {
    const known = error instanceof LabError ? error : new LabError('internal_error', (error as Error).message);
    send(known.status, known.toBody());
  }
}

/** A running relay service. */
export interface RelayService {
  relay: TcpRelay;
  controlPort: number;
  close(): Promise<void>;
}

/** Starts the relay on every interface and its control port on 127.0.0.1. */
export async function startRelayService(settings: RelayServiceSettings): Promise<RelayService> {
  const [host, port] = settings.upstream.split(/:(?=\d+$)/);
  const relay = await startTcpRelay({
    upstreamHost: host,
    upstreamPort: Number(port ?? 6379),
    port: settings.port,
    host: '0.0.0.0',
  });
  const server = createServer((req, res) => void control(relay, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.controlPort, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    relay,
    controlPort: typeof address === 'object' && address ? address.port : settings.controlPort,
    async close() {
      server.close();
      server.closeAllConnections();
      await relay.close();
    },
  };
}
