// The relay as compose runs it (`node dist/redis-relay.mjs`, here through tsx): a real process in front of a real
// Redis, its toxics set by the `relay-toxic` command through a control port on loopback only.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedChild } from '../../scripts/process/child.ts';
import { freePort } from '../../scripts/process/free-port.ts';
import { listeningRecord } from '../../scripts/process/listening-line.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { useProcesses } from '../helpers/processes.ts';

const scope = useProcesses('each');
const children: ManagedChild[] = [];
const clients: Redis[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  for (const child of children.splice(0)) await child.stop();
});

/** Starts the relay service in front of a private Redis; resolves with its ports once it printed its listening line. */
async function relayService(): Promise<{ port: number; controlPort: number; env: NodeJS.ProcessEnv }> {
  const redis = await scope.redis({ appendOnly: false });
  const env = {
    ...process.env,
    RELAY_UPSTREAM: `127.0.0.1:${redis.port}`,
    RELAY_PORT: String(await freePort()),
    RELAY_CONTROL_PORT: String(await freePort()),
  };
  const child = new ManagedChild({
    name: 'redis-relay',
    command: process.execPath,
    args: ['--import', 'tsx', 'scripts/relay/relay-main.ts'],
    cwd: projectRoot,
    env,
  });
  children.push(child);
  const record = await child.waitForLine((line) => listeningRecord(line), 'its listening line', 20_000);
  return { port: record.port as number, controlPort: record.controlPort as number, env };
}

/** Runs `relay-toxic ARGS` to its end. */
async function relayToxic(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = new ManagedChild({
    name: 'relay-toxic',
    command: process.execPath,
    args: ['--import', 'tsx', 'scripts/relay/relay-toxic.ts', ...args],
    cwd: projectRoot,
    env,
  });
  children.push(child);
  const exit = await child.exited;
  return { code: exit.code, output: child.recentOutput() };
}

/** A client that reaches Redis only through the relay and gives up on a command after `timeoutMs`. */
function clientThrough(port: number, timeoutMs = 2_000): Redis {
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, commandTimeout: timeoutMs });
  // a stalled ready check is an error event too; the commands' own rejections are what the test looks at
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

/** Milliseconds one PING takes through `client`. */
async function pingMs(client: Redis): Promise<number> {
  const started = performance.now();
  await client.ping();
  return performance.now() - started;
}

describe('relay service', () => {
  it('forwards untouched, answers late under latency, holds everything under stall, recovers on clear', async () => {
    const { port, env } = await relayService();
    const client = clientThrough(port);
    await client.set('cart', 'kettle');
    expect(await client.get('cart')).toBe('kettle');
    expect(await pingMs(client)).toBeLessThan(200);

    const slowed = await relayToxic(env, 'latency', '300');
    expect(slowed.code, slowed.output).toBe(0);
    expect(JSON.parse(slowed.output)).toEqual({ latency: { ms: 300, jitterMs: 0 } });
    expect(await pingMs(client)).toBeGreaterThanOrEqual(295);

    // stall takes the place of latency: nothing comes back, the connection stays open
    const stalled = await relayToxic(env, 'stall');
    expect(JSON.parse(stalled.output)).toEqual({ stall: {} });
    const held = clientThrough(port, 500);
    await expect(held.ping()).rejects.toThrow(/timed out/i);
    expect(held.status).not.toBe('end');

    const cleared = await relayToxic(env, 'clear');
    expect(JSON.parse(cleared.output)).toEqual({});
    expect(await client.get('cart')).toBe('kettle');
    expect(await pingMs(client)).toBeLessThan(200);
    expect(JSON.parse((await relayToxic(env, 'show')).output)).toEqual({});
  }, 30_000);

  it('refuses a command it does not know with its usage, and says so when no relay answers', async () => {
    const { env } = await relayService();
    const wrong = await relayToxic(env, 'latency', 'soon');
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain('usage: relay-toxic latency MS | stall | clear | show');
    const nobody = await relayToxic({ ...env, RELAY_CONTROL_PORT: String(await freePort()) }, 'clear');
    expect(nobody.code).toBe(1);
    expect(nobody.output).toMatch(/control port 127\.0\.0\.1:\d+ does not answer/);
  }, 30_000);

  it('takes toxics on 127.0.0.1 only, while it relays on every address, and refuses an unknown toxic', async () => {
    const { port, controlPort } = await relayService();
    const toxics = await fetch(`http://127.0.0.1:${controlPort}/toxics`);
    expect(await toxics.json()).toEqual({});
    // 127.0.0.2 is this machine too, but not the address the control port is bound to (a container's network address
    // is like it): refused there, while the relay itself answers on it
    await expect(fetch(`http://127.0.0.2:${controlPort}/toxics`)).rejects.toThrow();
    const other = new Redis({ port, host: '127.0.0.2', maxRetriesPerRequest: 0 });
    clients.push(other);
    expect(await other.ping()).toBe('PONG');
    const bad = await fetch(`http://127.0.0.1:${controlPort}/toxics/slowness`, { method: 'PUT', body: '{}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_toxic');
  }, 30_000);
});
