// The Redis a native stack's redis shop needs: one private server, or a replicated one behind Sentinels, and a relay
// in front of the single server when a scenario wants to slow it down.
import type { ServiceState } from '../../contract/wire.ts';
import {
  type RedisReplication,
  type RedisReplicationOptions,
  startRedisReplication,
} from '../process/redis-replication.ts';
import { hasRedisServer, type RedisServer, startRedisServer } from '../process/redis-server.ts';
import { startTcpRelay, type TcpRelay } from '../relay/tcp-relay.ts';

/** Said once when the redis shop cannot run, and by every Redis fault then. */
export const REDIS_MISSING =
  'redis-server is not on PATH, so the redis shop stays down ' +
  '(install it: sudo apt-get install redis-server, or brew install redis); the memory and jwt shops run.';

/** What kind of Redis to start. */
export interface StackRedisOptions {
  /** Keep data across a Redis restart (append-only file). */
  persistence: boolean;
  /** Put a relay with run-time toxics between the shops and the single server. */
  relay: boolean;
  /** A replicated Redis instead of one server. */
  replication?: RedisReplicationOptions;
}

/** The Redis side of a stack; nothing of it when redis-server is missing (then `state` is `unavailable`). */
export interface StackRedis {
  server?: RedisServer;
  replication?: RedisReplication;
  relay?: TcpRelay;
  state: ServiceState;
  /** What the redis shop's instances need in their environment (the Sentinels' addresses). */
  shopEnv: Record<string, string>;
}

/**
 * Starts the Redis `options` asks for; each process started is pushed on `started` at once, so that a failure later
 * in the stack's start ends it too.
 */
export async function startStackRedis(
  options: StackRedisOptions,
  started: { stop(): Promise<unknown> }[],
  log: (line: string) => void,
): Promise<StackRedis> {
  if (!hasRedisServer()) {
    log(REDIS_MISSING);
    return { state: 'unavailable', shopEnv: {} };
  }
  if (options.replication) {
    const replication = await startRedisReplication(options.replication);
    started.push({ stop: () => replication.close() });
    return { replication, state: 'running', shopEnv: { REDIS_SENTINELS: replication.sentinelAddresses } };
  }
  const server = await startRedisServer({ appendOnly: options.persistence });
  started.push({ stop: () => server.close() });
  if (!options.relay) return { server, state: 'running', shopEnv: {} };
  const relay = await startTcpRelay({ upstreamPort: server.port });
  started.push({ stop: () => relay.close() });
  return { server, relay, state: 'running', shopEnv: {} };
}
