// The Sentinels of compose.replicated.yaml as the host reaches them: `docker compose exec` into a Sentinel container
// and `redis-cli`, since none of their ports is published.
import { LabError } from '../../lab/errors.ts';
import { waitUntil } from '../process/wait.ts';

/** The services compose.replicated.yaml runs its Sentinels as. */
export const SENTINEL_SERVICES = ['redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'] as const;
/** The name the Sentinels know the primary by (docker/redis-sentinel.conf). */
const MASTER_NAME = 'cart';
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
    await waitUntil(
      async () => {
        promoted = await this.primary();
        return promoted !== former;
      },
      `the Sentinels to promote a replica in place of ${former}`,
      { timeoutMs: FAILOVER_WAIT_MS, intervalMs: 250 },
    );
    return { former, promoted };
  }

  /** `redis-cli … COMMAND` in the first Sentinel container that runs it. */
  private async ask(command: readonly string[]): Promise<string> {
    let last: unknown;
    for (const service of SENTINEL_SERVICES) {
      try {
        return await this.compose(['exec', '-T', service, 'redis-cli', '-p', SENTINEL_PORT, ...command]);
      } catch (error) {
        last = error;
      }
    }
    throw new LabError('not_possible', `no Sentinel answered (${(last as Error | undefined)?.message ?? 'none'})`);
  }
}
