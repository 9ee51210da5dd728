// The Sentinels of compose.replicated.yaml as the host reaches them: `docker compose exec` into a Sentinel container
// and `redis-cli`, since none of their ports is published.
import { SENTINEL_MASTER_NAME } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import { waitUntil } from '../process/wait.ts';

/** The services compose.replicated.yaml runs its Sentinels as. */
export const SENTINEL_SERVICES = ['redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'] as const;
/** The name the Sentinels know the primary by (docker/redis-sentinel.conf). */
const MASTER_NAME = SENTINEL_MASTER_NAME;
/** The port every Sentinel container listens on. */
const SENTINEL_PORT = '26379';
/** How long the Sentinels may take to agree on a new primary (down-after 1 s, then an election). */
const FAILOVER_WAIT_MS = 30_000;

/** Runs `docker compose ARGS` for the project and resolves with what it printed (rejects with a LabError). */
export type ComposeRunner = (args: readonly string[]) => Promise<string>;

/** True when the compose files in use run the replicated Redis. */
export function runsSentinels(services: readonly string[]): boolean {
  return SENTINEL_SERVICES.every((service) => services.includes(service));
}

/** Asks the Sentinels of the running project, the first that answers. */
export class ComposeSentinels {
  private readonly compose: ComposeRunner;

  constructor(compose: ComposeRunner) {
    this.compose = compose;
  }

  /** The service the Sentinels name as primary now, e.g. `redis` or `redis-node-2`. */
  async primary(): Promise<string> {
    const [host] = (await this.ask(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME])).trim().split('\n');
    if (!host) throw new LabError('not_possible', 'the Sentinels name no primary');
    return host.trim();
  }

  /** SENTINEL FAILOVER, then waits until they name another primary; resolves with the former and the new one. */
  async failover(): Promise<{ former: string; promoted: string }> {
    const former = await this.primary();
    const answer = (await this.ask(['SENTINEL', 'FAILOVER', MASTER_NAME])).trim();
    // redis-cli prints an error reply and still exits 0
    if (answer !== 'OK') throw new LabError('not_possible', `the Sentinels refused the failover: ${answer}`);
    let promoted = former;
    try {
      await waitUntil(
        async () => {
          promoted = await this.primary();
          return promoted !== former;
        },
        `the Sentinels to promote a replica in place of ${former}`,
        { timeoutMs: FAILOVER_WAIT_MS, intervalMs: 250 },
      );
    } catch (error) {
      throw new LabError('timed_out', `${(error as Error).message}; ${await this.describe()}`);
    }
    return { former, promoted };
  }

  /** Sets each Sentinel's failover timeout (those not running are left out). */
  async setFailoverTimeout(ms: number): Promise<void> {
    await Promise.all(
      SENTINEL_SERVICES.map((service) =>
        this.askOne(service, ['SENTINEL', 'SET', MASTER_NAME, 'failover-timeout', String(ms)]).catch(() => undefined),
      ),
    );
  }

  /**
   * Waits until every Sentinel knows the two other Sentinels and `replicas` replicas, each up and following the
   * primary, as a failover needs: a Sentinel counts a replica it sees down among its replicas, and never promotes it.
   */
  async waitForSet(replicas: number): Promise<void> {
    await waitUntil(
      async () => {
        for (const service of SENTINEL_SERVICES) {
          if ((await this.master(service)).get('num-other-sentinels') !== '2') return false;
          const views = await this.replicas(service);
          if (views.length !== replicas) return false;
          if (!views.every((view) => view.get('flags') === 'slave' && view.get('master-link-status') === 'ok'))
            return false;
        }
        return true;
      },
      `every Sentinel to see ${replicas} replica(s) up and following, and the other Sentinels (they look every ten ` +
        'seconds)',
      { timeoutMs: FAILOVER_WAIT_MS, intervalMs: 500 },
    );
  }

  /** What each Sentinel says of the primary: its name, flags and failover state, for a report. */
  async describe(): Promise<string> {
    const views = await Promise.all(
      SENTINEL_SERVICES.map(async (service) => {
        try {
          const view = await this.master(service);
          const state = `${view.get('flags')}, failover ${view.get('failover-state')}`;
          const replicas = (await this.replicas(service))
            .map((replica) => `${replica.get('ip')} ${replica.get('flags')} link ${replica.get('master-link-status')}`)
            .join(', ');
          return `${service}: primary ${view.get('ip')} (${state}), replicas ${replicas || 'none'}`;
        } catch (error) {
          return `${service}: no answer (${(error as Error).message})`;
        }
      }),
    );
    return views.join('; ');
  }

  /** `SENTINEL MASTER` of one Sentinel as a map of its fields. */
  private async master(service: string): Promise<Map<string, string>> {
    return fieldMap((await this.askOne(service, ['SENTINEL', 'MASTER', MASTER_NAME])).trim().split('\n'));
  }

  /** `SENTINEL REPLICAS` of one Sentinel, each replica as a map of its fields. */
  private async replicas(service: string): Promise<Map<string, string>[]> {
    const lines = (await this.askOne(service, ['SENTINEL', 'REPLICAS', MASTER_NAME])).trim().split('\n');
    // redis-cli prints the replicas one after another without a separator; each starts with its `name` field
    const views: Map<string, string>[] = [];
    for (let start = 0; start < lines.length; ) {
      let end = start + 2;
      while (end < lines.length && lines[end] !== 'name') end += 2;
      if (lines[start] === 'name') views.push(fieldMap(lines.slice(start, end)));
      start = end;
    }
    return views;
  }

  /** `redis-cli … COMMAND` in one Sentinel container. */
  private askOne(service: string, command: readonly string[]): Promise<string> {
    return this.compose(['exec', '-T', service, 'redis-cli', '-p', SENTINEL_PORT, ...command]);
  }

  /** `redis-cli … COMMAND` in the first Sentinel container that runs it. */
  private async ask(command: readonly string[]): Promise<string> {
    let last: unknown;
    for (const service of SENTINEL_SERVICES) {
      try {
        return await this.askOne(service, command);
      } catch (error) {
        last = error;
      }
    }
    throw new LabError('not_possible', `no Sentinel answered (${(last as Error | undefined)?.message ?? 'none'})`);
  }
}

/** Field and value lines, one after the other, as redis-cli prints a map without a terminal. */
function fieldMap(lines: readonly string[]): Map<string, string> {
  const view = new Map<string, string>();
  for (let index = 0; index + 1 < lines.length; index += 2)
    view.set(lines[index] as string, lines[index + 1] as string);
  return view;
}
