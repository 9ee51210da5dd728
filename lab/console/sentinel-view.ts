// The console's rows for a replicated Redis where no supervisor reports them (Docker Compose): the lab proxy asks the
// Sentinels, which it reaches on the lab's network, who is primary and which servers they see down.
import type { Redis } from 'ioredis';
import { SENTINEL_MASTER_NAME as MASTER_NAME, type ServiceState, type ServiceStatus } from '../../contract/wire.ts';

/** A Sentinel that does not answer within this is shown down: the page polls, it must not wait. */
const ASK_TIMEOUT_MS = 1_000;

/** One Sentinel address, as `LAB_REDIS_SENTINELS` lists them. */
interface Address {
  host: string;
  port: number;
}

/** A Sentinel's flags for a server it cannot reach, or one it has been told is gone. */
const DOWN_FLAGS = /(^|,)(s_down|o_down|disconnected)(,|$)/;

/**
 * Reads the rows now: each data server with its role and whether the Sentinels reach it, then each Sentinel. A server
 * is named as the Sentinels name it: its service name under Compose, `host:port` where it has none.
 */
export function sentinelView(list: string): () => Promise<ServiceStatus[]> {
  const addresses: Address[] = list.split(',').map((pair) => ({
    host: pair.slice(0, pair.lastIndexOf(':')),
    port: Number(pair.slice(pair.lastIndexOf(':') + 1)),
  }));
  const distinctHosts = new Set(addresses.map((address) => address.host)).size === addresses.length;
  return async () => {
    const { Redis } = await import('ioredis');
    const answers = await Promise.all(addresses.map((address) => ask(Redis, address)));
    const sentinels = addresses.map(
      (address, index): ServiceStatus => ({
        id: distinctHosts ? address.host : `sentinel-${index + 1}`,
        kind: 'sentinel',
        state: answers[index] ? 'running' : 'unavailable',
        port: address.port,
      }),
    );
    const view = answers.find((answer) => answer !== undefined);
    if (!view) return sentinels;
    const server = (fields: Map<string, string>, role: 'primary' | 'replica'): ServiceStatus => {
      const host = fields.get('ip') ?? '?';
      const port = fields.get('port') ?? '?';
      const state: ServiceState = DOWN_FLAGS.test(fields.get('flags') ?? '') ? 'unavailable' : 'running';
      return { id: /^[\d.:]+$/.test(host) ? `${host}:${port}` : host, kind: 'redis', role, state, port: Number(port) };
    };
    // in the order of their names, not in the Sentinel's, which changes between answers
    const replicas = view.replicas
      .map((replica) => server(replica, 'replica'))
      .sort((a, b) => a.id.localeCompare(b.id));
    return [server(view.master, 'primary'), ...replicas, ...sentinels];
  };
}

/** `SENTINEL MASTER` and `SENTINEL REPLICAS` of one Sentinel, or undefined when it does not answer in time. */
async function ask(
  RedisClient: typeof Redis,
  address: Address,
): Promise<{ master: Map<string, string>; replicas: Map<string, string>[] } | undefined> {
  const client = new RedisClient({
    ...address,
    lazyConnect: true,
    connectTimeout: ASK_TIMEOUT_MS,
    commandTimeout: ASK_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const master = (await client.call('SENTINEL', 'MASTER', MASTER_NAME)) as string[];
    const replicas = (await client.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
    return { master: fields(master), replicas: replicas.map(fields) };
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** `[name, value, name, value, …]` as a map. */
function fields(flat: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < flat.length; index += 2) map.set(flat[index] as string, flat[index + 1] as string);
  return map;
}
