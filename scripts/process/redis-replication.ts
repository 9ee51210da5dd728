// Redis as production runs it: a primary, replicas and three Sentinels that promote a replica when the primary dies.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SENTINEL_MASTER_NAME } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import { startTcpRelay, type TcpRelay } from '../relay/tcp-relay.ts';
import { ManagedChild } from './child.ts';
import { freePort } from './free-port.ts';
import { type RedisServer, startRedisServer } from './redis-server.ts';
import { waitUntil } from './wait.ts';

/** The name the Sentinels know the primary by; the shops ask for it. */
export const MASTER_NAME = SENTINEL_MASTER_NAME;

/**
 * True when `info` (a primary's `INFO replication`) lists `replicas` replicas online, each with every byte the primary
 * has: no acknowledged write is then still on its way.
 */
export function replicasInSync(info: string, replicas: number): boolean {
  const offset = /master_repl_offset:(\d+)/.exec(info)?.[1];
  const online = [...info.matchAll(/slave\d+:.*state=online,offset=(\d+)/g)].map((match) => match[1]);
  return online.length === replicas && online.every((replicaOffset) => replicaOffset === offset);
}

/** How to run the set. */
export interface RedisReplicationOptions {
  /** Replicas of the primary (default 1). */
  replicas?: number;
  /** How long a primary must be silent before the Sentinels agree it is down (default 1000 ms). */
  downAfterMs?: number;
  /** Append-only file on every server (default true). */
  appendOnly?: boolean;
  /**
   * The replicas follow the primary through a relay, so a scenario can make replication lag (`latency`) on purpose;
   * on a quiet machine they are a millisecond behind and a failover would hide what asynchronous replication risks.
   */
  laggableReplication?: boolean;
}

/** One Sentinel process. */
export interface SentinelProcess {
  readonly port: number;
  readonly child: ManagedChild;
}

/** One replica in a Sentinel's `SENTINEL REPLICAS` answer. */
export interface ReplicaView {
  port: number;
  flags: string;
  /** `master-link-status` is `ok`: it follows the primary. */
  linkOk: boolean;
}

/** A running replicated Redis; `close` ends every process and removes every directory. */
export interface RedisReplication {
  /** Every data server, the first one started as the primary; `primary()` says which one is primary now. */
  readonly servers: RedisServer[];
  readonly sentinels: SentinelProcess[];
  /** The relay between the replicas and the first primary, with `laggableReplication`. */
  readonly replicationLink: TcpRelay | undefined;
  /** `127.0.0.1:P1,127.0.0.1:P2,…`: what the shops' `REDIS_SENTINELS` takes. */
  readonly sentinelAddresses: string;
  /** The data server the Sentinels name as primary now. */
  primary(): Promise<RedisServer>;
  /** The replicas as a Sentinel sees them: port, flags (`slave`, `s_down,slave`, …) and whether its link is up. */
  replicaViews(): Promise<ReplicaView[]>;
  /** Asks the Sentinels to promote a replica now (`SENTINEL FAILOVER`), as an operator does before maintenance. */
  failover(): Promise<void>;
  /**
   * Sets every running Sentinel's failover timeout. A Sentinel whose failover attempt failed (no majority, no replica
   * it could pick) tries again only after twice this timeout.
   */
  setFailoverTimeout(ms: number): Promise<void>;
  /** What each running Sentinel says of the primary: its port, its flags and the state of a failover, for a report. */
  describe(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the primary, its replicas and three Sentinels, and resolves once each Sentinel sees every replica and the
 * other Sentinels.
 */
export async function startRedisReplication(options: RedisReplicationOptions = {}): Promise<RedisReplication> {
  const appendOnly = options.appendOnly ?? true;
  const servers: RedisServer[] = [];
  const sentinels: SentinelProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'stickiness-lab-sentinel-'));
  let replicationLink: TcpRelay | undefined;
  const close = async () => {
    await Promise.allSettled(sentinels.map((sentinel) => sentinel.child.stop(1_000)));
    await replicationLink?.close();
    await Promise.allSettled(servers.map((server) => server.close(1_000)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const primary = await startRedisServer({ appendOnly });
    servers.push(primary);
    if (options.laggableReplication) replicationLink = await startTcpRelay({ upstreamPort: primary.port });
    const followPort = replicationLink?.port ?? primary.port;
    for (let index = 0; index < (options.replicas ?? 1); index += 1) {
      servers.push(await startRedisServer({ appendOnly, extraArgs: ['--replicaof', '127.0.0.1', String(followPort)] }));
    }
    // Sentinels point a replica that follows another address (the relay) back at the primary after the failover
    // timeout (+fix-slave-config); with a laggable link that must not happen within an experiment.
    const downAfterMs = options.downAfterMs ?? 1_000;
    const failoverTimeoutMs = options.laggableReplication ? 120_000 : Math.max(3 * downAfterMs, 3_000);
    for (let index = 0; index < 3; index += 1)
      sentinels.push(await startSentinel(dir, index, primary.port, downAfterMs, failoverTimeoutMs));
    const sentinelAddresses = sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(',');
    const ask = <T>(command: (client: Redis) => Promise<T>) => withSentinel(sentinels, command);
    // Every Sentinel must know every replica and the two other Sentinels before the primary may die: they find
    // each other through the primary, and without a quorum that knows of each other no failover ever starts.
    const replicas = servers.length - 1;
    const others = sentinels.length - 1;
    await waitUntil(
      async () => {
        const views = await Promise.all(
          sentinels.map((sentinel) =>
            withSentinel([sentinel], (client) => client.call('SENTINEL', 'MASTER', MASTER_NAME) as Promise<string[]>),
          ),
        );
        return views.every((view) => {
          const field = (name: string) => Number(view[view.indexOf(name) + 1]);
          return field('num-slaves') === replicas && field('num-other-sentinels') === others;
        });
      },
      'every Sentinel to see every replica and the other Sentinels',
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    return {
      servers,
      sentinels,
      replicationLink,
      sentinelAddresses,
      async primary() {
        const [, port] = (await ask((client) => client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME))) as [
          string,
          string,
        ];
        const found = servers.find((server) => server.port === Number(port));
        if (!found)
          throw new LabError(
            'process_failed',
            `the Sentinels name ${port} as primary, which is none of this set's servers`,
          );
        return found;
      },
      async replicaViews() {
        const rows = (await ask((client) => client.call('SENTINEL', 'REPLICAS', MASTER_NAME))) as string[][];
        return rows.map((row) => {
          const field = (name: string) => row[row.indexOf(name) + 1] ?? '';
          return { port: Number(field('port')), flags: field('flags'), linkOk: field('master-link-status') === 'ok' };
        });
      },
      async failover() {
        await ask((client) => client.call('SENTINEL', 'FAILOVER', MASTER_NAME));
      },
      async setFailoverTimeout(ms) {
        const running = sentinels.filter((sentinel) => sentinel.child.running);
        await Promise.all(
          running.map((sentinel) =>
            withSentinel([sentinel], (client) =>
              client.call('SENTINEL', 'SET', MASTER_NAME, 'failover-timeout', String(ms)),
            ),
          ),
        );
      },
      async describe() {
        const views = await Promise.all(
          sentinels
            .filter((sentinel) => sentinel.child.running)
            .map(async (sentinel) => {
              try {
                const view = (await withSentinel([sentinel], (client) =>
                  client.call('SENTINEL', 'MASTER', MASTER_NAME),
                )) as string[];
                const field = (name: string) => view[view.indexOf(name) + 1] ?? '?';
                const state = `${field('flags')}, failover ${field('failover-state')}`;
                return `sentinel ${sentinel.port}: primary ${field('port')} (${state})`;
              } catch (error) {
                return `sentinel ${sentinel.port}: no answer (${(error as Error).message})`;
              }
            }),
        );
        return views.join('; ');
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function startSentinel(
  dir: string,
  index: number,
  primaryPort: number,
  downAfterMs: number,
  failoverTimeoutMs: number,
): Promise<SentinelProcess> {
  const port = await freePort();
  const file = join(dir, `sentinel-${index}.conf`);
  // Sentinels rewrite their own file as they learn the set, so each needs one of its own, writable
  writeFileSync(
    file,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primaryPort} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${downAfterMs}`,
      `sentinel failover-timeout ${MASTER_NAME} ${failoverTimeoutMs}`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
      '',
    ].join('\n'),
  );
  const child = new ManagedChild({
    name: `redis-sentinel:${port}`,
    command: 'redis-server',
    args: [file, '--sentinel'],
  });
  try {
    await child.waitForLine((line) => (line.includes('+monitor master') ? true : undefined), 'its +monitor line');
  } catch (error) {
    await child.kill();
    throw error;
  }
  return { port, child };
}

/** Runs `command` on the first Sentinel that answers. */
async function withSentinel<T>(
  sentinels: readonly SentinelProcess[],
  command: (client: Redis) => Promise<T>,
): Promise<T> {
  let last: unknown;
  for (const sentinel of sentinels) {
    if (!sentinel.child.running) continue;
    const client = new Redis({
      port: sentinel.port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await client.connect();
      return await command(client);
    } catch (error) {
      last = error;
    } finally {
      client.disconnect();
    }
  }
  throw new LabError(
    'process_failed',
    `no Sentinel answered (${(last as Error | undefined)?.message ?? 'none running'})`,
  );
}
