// The relay the slow-Redis faults put in front of a server: untouched by default, then slowed, stalled and healed.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { LabError } from '../../lab/errors.ts';
import { waitUntil } from '../../scripts/process/wait.ts';
import { startTcpRelay, type TcpRelay } from '../../scripts/relay/tcp-relay.ts';
import { useProcesses } from '../helpers/processes.ts';

const scope = useProcesses('each');
const opened: { relay?: TcpRelay; client?: Redis }[] = [];

afterEach(async () => {
  for (const { relay, client } of opened.splice(0)) {
    client?.disconnect();
    await relay?.close();
  }
});

/** A private Redis behind a relay, and a client that talks to it through the relay only. */
async function redisBehindRelay(): Promise<{ relay: TcpRelay; client: Redis }> {
  const redis = await scope.redis({ appendOnly: false });
  const relay = await startTcpRelay({ upstreamPort: redis.port });
  const client = new Redis({
    port: relay.port,
    host: '127.0.0.1',
    maxRetriesPerRequest: 0,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  opened.push({ relay, client });
  await client.connect();
  return { relay, client };
}

describe('tcp relay', () => {
  it('forwards both ways untouched while no toxic is set', async () => {
    const { relay, client } = await redisBehindRelay();
    await client.set('cart', 'kettle');
    expect(await client.get('cart')).toBe('kettle');
    expect(relay.connections()).toBe(1);
    expect(relay.toxics()).toEqual({});
  });

  it('latency holds every answer back at least that long, in order, until it is lifted', async () => {
    const { relay, client } = await redisBehindRelay();
    relay.set('latency', { ms: 150, jitterMs: 50 });
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => client.echo(String(index))));
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(answers).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));
    relay.clear('latency');
    expect(relay.toxics()).toEqual({});
    expect(await client.ping()).toBe('PONG');
  });

  it('stall holds a command without an answer and keeps the connection; lifting it delivers the answer', async () => {
    const { relay, client } = await redisBehindRelay();
    await client.set('cart', 'mug');
    relay.set('stall');
    let answered = false;
    const pending = client.get('cart').then((value) => {
      answered = true;
      return value;
    });
    await waitUntil(async () => relay.heldBytes() > 0, 'the relay to hold the command');
    expect(answered).toBe(false);
    expect(relay.connections()).toBe(1);
    relay.clear();
    expect(await pending).toBe('mug');
  });

  it('refuses an unknown toxic or bad settings with a message that says what is wrong', async () => {
    const { relay } = await redisBehindRelay();
    expect(() => relay.set('slowness')).toThrow(
      new LabError('invalid_toxic', 'no toxic "slowness"; there are latency, stall'),
    );
    expect(() => relay.set('latency', { ms: -5 })).toThrow(/latency: ms/);
    expect(() => relay.set('latency', { ms: 10, spread: 3 })).toThrow(LabError);
    expect(relay.toxics()).toEqual({});
  });

  it('close ends every connection it relays', async () => {
    const { relay, client } = await redisBehindRelay();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await relay.close();
    await closed;
    expect(relay.connections()).toBe(0);
  });
});
