// Server-sent events for the control port: state changes as they happen, routing decisions and retries batched twice a
// second.
import type { ServerResponse } from 'node:http';
import type { ProxyErrorCode } from '../errors.ts';
import type { ForwardObserver } from '../forwarding/observer.ts';
import type { FleetEvent, FleetEvents } from '../pool/fleet-events.ts';
import type { Pool } from '../pool/pool.ts';
import type { Target } from '../pool/target.ts';
import type { NonStickyReason } from '../stickiness/method.ts';

const FLUSH_EVERY_MS = 500;
const HEARTBEAT_EVERY_MS = 15_000;
const SAMPLES_PER_BATCH = 20;

interface Client {
  res: ServerResponse;
  /** True while the socket's buffer is full: messages are dropped, not queued. */
  blocked: boolean;
  dropped: number;
}

interface Sample {
  pool: string;
  target: string | null;
  status: number;
  reason: string | null;
}

/**
 * The `/api/events` hub. Decisions and retries are only counted while someone listens, and leave as
 * one `decisions` and one `retry` message per half second (counts by pool, target and reason or
 * cause, plus a few sampled decisions), so the cost does not grow with the request rate: a crash
 * under load retries every request in flight at once. A client that reads too slowly misses messages
 * instead of making the proxy buffer them; it is told how many with a `dropped` message.
 */
export class EventStream implements ForwardObserver {
  private readonly clients = new Set<Client>();
  private counts = new Map<string, number>();
  private samples: Sample[] = [];
  private retries = new Map<string, number>();
  private readonly flushTimer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;

  constructor(events: FleetEvents) {
    events.on('change', (event: FleetEvent) => this.broadcast(event.type, event));
    this.flushTimer = setInterval(() => this.flush(), FLUSH_EVERY_MS).unref();
    this.heartbeatTimer = setInterval(() => this.broadcastRaw(': heartbeat\n\n'), HEARTBEAT_EVERY_MS).unref();
  }

  /** Turns `res` into an event stream until the client leaves. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const client: Client = { res, blocked: false, dropped: 0 };
    this.clients.add(client);
    res.on('drain', () => {
      client.blocked = false;
      if (client.dropped > 0) {
        this.send(client, `event: dropped\ndata: ${JSON.stringify({ messages: client.dropped })}\n\n`);
        client.dropped = 0;
      }
    });
    res.on('close', () => this.clients.delete(client));
    this.send(client, `event: hello\ndata: ${JSON.stringify({ at: Date.now(), flushEveryMs: FLUSH_EVERY_MS })}\n\n`);
  }

  answered(pool: Pool, target: Target, status: number, _seconds: number, reason: NonStickyReason | undefined): void {
    if (this.clients.size === 0) return;
    this.count(pool.name, target.id, reason ?? '', status);
  }

  refused(pool: Pool | undefined, code: ProxyErrorCode): void {
    if (this.clients.size === 0) return;
    this.count(pool?.name ?? '', '', code, 0);
  }

  retried(pool: Pool, target: Target, cause: string): void {
    if (this.clients.size === 0) return;
    const key = `${pool.name}\t${target.id}\t${cause}`;
    this.retries.set(key, (this.retries.get(key) ?? 0) + 1);
  }

  /** Ends every stream and stops the timers. */
  close(): void {
    clearInterval(this.flushTimer);
    clearInterval(this.heartbeatTimer);
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }

  private count(pool: string, target: string, reason: string, status: number): void {
    const key = `${pool}\t${target}\t${reason}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.samples.length < SAMPLES_PER_BATCH)
      this.samples.push({ pool, target: target || null, status, reason: reason || null });
  }

  private flush(): void {
    this.flushRetries();
    if (this.counts.size === 0) return;
    const decisions = [...this.counts].map(([key, count]) => {
      const [pool, target, reason] = key.split('\t');
      return { pool, target: target || null, reason: reason || null, count };
    });
    const samples = this.samples;
    this.counts = new Map();
    this.samples = [];
    this.broadcast('decisions', { at: Date.now(), windowMs: FLUSH_EVERY_MS, decisions, samples });
  }

  private flushRetries(): void {
    if (this.retries.size === 0) return;
    const retries = [...this.retries].map(([key, count]) => {
      const [pool, target, cause] = key.split('\t');
      return { pool, target, cause, count };
    });
    this.retries = new Map();
    this.broadcast('retry', { at: Date.now(), windowMs: FLUSH_EVERY_MS, retries });
  }

  private broadcast(type: string, data: unknown): void {
    if (this.clients.size > 0) this.broadcastRaw(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private broadcastRaw(message: string): void {
    for (const client of this.clients) this.send(client, message);
  }

  private send(client: Client, message: string): void {
    if (client.blocked) {
      client.dropped++;
      return;
    }
    if (!client.res.write(message)) client.blocked = true;
  }
}
