// What the console relies on from the proxy's event stream: decisions leave in one batch per half second however many
// requests there are, and a client that stops reading costs a bounded buffer (messages are dropped and counted).
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventStream } from '../../proxy/control/event-stream.ts';
import { FleetEvents } from '../../proxy/pool/fleet-events.ts';
import type { Pool } from '../../proxy/pool/pool.ts';
import type { Target } from '../../proxy/pool/target.ts';

/** A response whose socket buffer is full after `acceptedWrites` writes, until it drains. */
class StalledResponse extends EventEmitter {
  readonly messages: string[] = [];
  private accepted: number;

  constructor(acceptedWrites: number) {
    super();
    this.accepted = acceptedWrites;
  }

  writeHead(): this {
    return this;
  }

  write(chunk: string): boolean {
    this.messages.push(chunk);
    this.accepted -= 1;
    return this.accepted > 0;
  }

  end(): void {}

  /** The socket empties its buffer. */
  drain(acceptedWrites: number): void {
    this.accepted = acceptedWrites;
    this.emit('drain');
  }
}

const pool = { name: 'memory' } as Pool;
const target = { id: 'memory-1' } as Target;

describe('the event stream the console reads', () => {
  let fleetEvents: FleetEvents;
  let stream: EventStream;

  beforeEach(() => {
    vi.useFakeTimers();
    fleetEvents = new FleetEvents();
    stream = new EventStream(fleetEvents);
  });
  afterEach(() => {
    stream.close();
    vi.useRealTimers();
  });

  it('sends one decisions message per half second, whatever the request rate', () => {
    const client = new StalledResponse(1_000_000);
    stream.attach(client as unknown as ServerResponse);
    for (let i = 0; i < 10_000; i++) stream.answered(pool, target, 200, 0.001, i % 2 === 0 ? 'new' : undefined);
    vi.advanceTimersByTime(1_000);
    const decisions = client.messages.filter((message) => message.startsWith('event: decisions'));
    expect(decisions).toHaveLength(1);
    const data = JSON.parse(decisions[0]?.split('data: ')[1] ?? '{}') as {
      decisions: { count: number }[];
      samples: unknown[];
    };
    expect(data.decisions.reduce((sum, decision) => sum + decision.count, 0)).toBe(10_000);
    expect(data.samples.length).toBeLessThanOrEqual(20);
  });

  it(
    'sends the retries of a crash under load as one retry ' + 'message per half second, counted by target and cause',
    () => {
      const client = new StalledResponse(1_000_000);
      stream.attach(client as unknown as ServerResponse);
      for (let i = 0; i < 500; i++) stream.retried(pool, target, i % 5 === 0 ? 'connect' : 'reset');
      vi.advanceTimersByTime(1_000);
      const retries = client.messages.filter((message) => message.startsWith('event: retry'));
      expect(retries).toHaveLength(1);
      const data = JSON.parse(retries[0]?.split('data: ')[1] ?? '{}') as { retries: unknown[] };
      expect(data.retries).toEqual(
        expect.arrayContaining([
          { pool: 'memory', target: 'memory-1', cause: 'connect', count: 100 },
          { pool: 'memory', target: 'memory-1', cause: 'reset', count: 400 },
        ]),
      );
    },
  );

  it('drops messages for a client that stops reading, and tells it how many once it reads again', () => {
    const client = new StalledResponse(2);
    stream.attach(client as unknown as ServerResponse);
    for (let i = 0; i < 5_000; i++) {
      fleetEvents.publish({
        type: 'state',
        at: i,
        pool: 'memory',
        target: 'memory-1',
        from: 'healthy',
        to: 'down',
        cause: 'test',
      });
    }
    expect(client.messages).toHaveLength(2);
    client.drain(10);
    expect(client.messages.at(-1)).toBe(`event: dropped\ndata: ${JSON.stringify({ messages: 4_999 })}\n\n`);
  });
});
