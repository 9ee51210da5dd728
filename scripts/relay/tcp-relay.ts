// A TCP relay in front of a server (Redis, a shop instance) that can slow or stall its traffic at run time.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { parseToxic, type ToxicName, type ToxicSettings } from './toxics.ts';

/** One direction of one connection: chunks wait in order until they are due and nothing stalls them. */
class Link {
  private readonly queue: { chunk: Buffer; due: number }[] = [];
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private readonly source: Socket;
  private readonly target: Socket;
  private readonly delayMs: () => number;
  private readonly stalled: () => boolean;

  constructor(source: Socket, target: Socket, delayMs: () => number, stalled: () => boolean) {
    this.source = source;
    this.target = target;
    this.delayMs = delayMs;
    this.stalled = stalled;
    source.on('data', (chunk: Buffer) => this.push(chunk));
    source.on('end', () => {
      this.ended = true;
      this.pump();
    });
  }

  /** Bytes waiting to be forwarded. */
  get held(): number {
    return this.queue.reduce((sum, entry) => sum + entry.chunk.length, 0);
  }

  /** Forwards every chunk that is due, unless the relay stalls; comes back when the next one is. */
  pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stalled() || this.target.destroyed) return;
    const now = performance.now();
    while (this.queue.length > 0 && (this.queue[0] as { due: number }).due <= now) {
      const { chunk } = this.queue.shift() as { chunk: Buffer };
      if (!this.target.write(chunk)) {
        // the far side reads slower than this side sends: stop reading until it catches up
        this.source.pause();
        this.target.once('drain', () => this.source.resume());
      }
    }
    const next = this.queue[0];
    if (next) this.timer = setTimeout(() => this.pump(), Math.max(1, next.due - now));
    else if (this.ended) this.target.end();
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private push(chunk: Buffer): void {
    // never before an earlier chunk: a jittered delay must not reorder the stream
    const due = Math.max(performance.now() + this.delayMs(), this.lastDue);
    this.lastDue = due;
    this.queue.push({ chunk, due });
    if (this.queue.length === 1) this.pump();
  }
}

/** A running relay. */
export interface TcpRelay {
  /** The port clients connect to (on `host`, 127.0.0.1 unless told). */
  readonly port: number;
  /** Puts a toxic in force, or changes its settings; throws LabError `invalid_toxic` for a bad name or settings. */
  set(name: string, settings?: unknown): void;
  /** Lifts one toxic, or all; stalled data flows again. */
  clear(name?: ToxicName): void;
  /** The toxics in force. */
  toxics(): ToxicSettings;
  /** Open client connections. */
  connections(): number;
  /** Bytes received and not yet forwarded, both directions. */
  heldBytes(): number;
  /** Stops listening and ends every connection. */
  close(): Promise<void>;
}

/** Where to relay to. */
export interface TcpRelayOptions {
  upstreamHost?: string;
  upstreamPort: number;
  /** 0 (default) lets the kernel choose. */
  port?: number;
  /** Where to listen: 127.0.0.1 (default); `0.0.0.0` in a container, whose network alone reaches it. */
  host?: string;
}

/**
 * Starts a relay (on 127.0.0.1 unless `host` says otherwise) that forwards every connection to the upstream, untouched
 * until a toxic is set.
 */
export async function startTcpRelay(options: TcpRelayOptions): Promise<TcpRelay> {
  const toxics: ToxicSettings = {};
  const open = new Set<{ client: Socket; upstream: Socket; links: Link[] }>();
  const stalled = () => toxics.stall !== undefined;
  const replyDelay = () => (toxics.latency ? toxics.latency.ms + Math.random() * toxics.latency.jitterMs : 0);

  const server: Server = createServer((client) => {
    const upstream = connect({ host: options.upstreamHost ?? '127.0.0.1', port: options.upstreamPort });
    // latency on answers only, as toxiproxy's default downstream stream: one delay per round trip
    const links = [new Link(client, upstream, () => 0, stalled), new Link(upstream, client, replyDelay, stalled)];
    const connection = { client, upstream, links };
    open.add(connection);
    const end = () => {
      if (!open.delete(connection)) return;
      for (const link of links) link.close();
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const pumpAll = () => {
    for (const connection of open) for (const link of connection.links) link.pump();
  };

  return {
    port,
    set(name, settings) {
      const toxic = parseToxic(name, settings);
      Object.assign(toxics, { [toxic.name]: toxic.settings });
      pumpAll();
    },
    clear(name) {
      if (name) delete toxics[name];
      else for (const key of Object.keys(toxics) as ToxicName[]) delete toxics[key];
      pumpAll();
    },
    toxics: () => structuredClone(toxics),
    connections: () => open.size,
    heldBytes: () =>
      [...open].reduce((sum, connection) => sum + connection.links.reduce((bytes, link) => bytes + link.held, 0), 0),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of open) {
        connection.client.destroy();
        connection.upstream.destroy();
      }
      await closed;
    },
  };
}
