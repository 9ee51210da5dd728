// The Docker Compose driver: every process action is one `docker compose` command run on the host (no Docker socket in
// any container).
import { execFile } from 'node:child_process';
import { LabError } from '../../lab/errors.ts';
import { faultCatalogue } from '../../lab/faults/catalogue.ts';
import type { ProxyAdmin } from '../lab-client/proxy-admin.ts';
import type { ProcessAction } from '../stack/process-states.ts';
import { REDIS_PRIMARY } from '../stack/replicated-services.ts';
import { composeLaggingReplication } from './compose-lagging-replication.ts';
import { ComposeSentinels, runsSentinels } from './compose-sentinels.ts';
import type { LaggingReplication, OrchestratorDriver, RedisToxic } from './driver.ts';
import { describeToxic } from './in-process.ts';
import { RELAY_SERVICE, relayToxicArgs } from './relay-toxic-command.ts';

/** The outcome of one command. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `docker` with these arguments; the test gives its own to see the exact commands. */
export type CommandRunner = (args: readonly string[]) => Promise<CommandResult>;

/** The one extra instance per pool that compose.yaml defines under the `scale` profile. */
const SCALE_INDEX = 4;
/** The port every shop container listens on. */
const SHOP_PORT = 3000;

/** Runs `docker` on the host. */
export const runDocker: CommandRunner = (args) =>
  new Promise((resolve) => {
    execFile('docker', [...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({
        code,
        stdout: String(stdout),
        stderr: error && code === 127 ? `${stderr}${error.message}` : String(stderr),
      });
    });
  });

/** Options of the compose driver. */
export interface ComposeDriverOptions {
  /** The compose files, in order (default: what `docker compose` picks, `compose.yaml` in the working directory). */
  files?: readonly string[];
  /** The Compose project name, when the lab was started under another than the folder's name. */
  projectName?: string;
  /** The lab's services, to refuse an unknown target before Docker is asked; Sentinels among them mean replicated. */
  services: readonly string[];
  admin: ProxyAdmin;
  run?: CommandRunner;
}

/** Drives the lab started with `docker compose up`. */
export class ComposeDriver implements OrchestratorDriver {
  readonly name = 'compose' as const;
  private readonly options: ComposeDriverOptions;
  private readonly run: CommandRunner;
  /** The Sentinels, when the compose files run the replicated Redis (compose.replicated.yaml). */
  private readonly sentinels: ComposeSentinels | undefined;

  constructor(options: ComposeDriverOptions) {
    this.options = options;
    this.run = options.run ?? runDocker;
    this.sentinels = runsSentinels(options.services) ? new ComposeSentinels((args) => this.compose(args)) : undefined;
  }

  async act(action: ProcessAction, target: string): Promise<string> {
    if (target === REDIS_PRIMARY) {
      const service = await this.replicated().primary();
      this.knownService(service);
      return `${REDIS_PRIMARY} is ${service}: ${await this.act(action, service)}`;
    }
    if (target.startsWith('redis-node-') && !this.sentinels) this.replicated();
    this.knownService(target);
    const fault = faultCatalogue.get(action);
    const command = fault?.compose?.command?.(target);
    if (!fault || !command) throw new LabError('fault_not_here', `${action} has no docker compose command`);
    await this.compose(command);
    return `${target} ${fault.done} (docker compose ${command.join(' ')})`;
  }

  /**
   * Takes the target's container off the project's network (`docker network disconnect`), or connects it again under
   * its service name (`--alias`), so that the proxy finds it by that name.
   */
  async network(target: string, cut: boolean): Promise<string> {
    this.knownService(target);
    // the short id, as `docker ps` shows it: enough for docker, and readable in the message
    const container = (await this.compose(['ps', '--quiet', target])).trim().slice(0, 12);
    if (!container) throw new LabError('not_possible', `${target} has no running container`);
    const project = (
      await this.docker(['inspect', '--format', '{{index .Config.Labels "com.docker.compose.project"}}', container])
    ).trim();
    const network = `${project}_default`;
    const command = cut
      ? ['network', 'disconnect', network, container]
      : ['network', 'connect', '--alias', target, network, container];
    await this.docker(command);
    const words = cut ? 'cut off the network' : 'back on the network';
    return `${target} ${words} (docker ${command.join(' ')})`;
  }

  /** SENTINEL FAILOVER through a Sentinel container; resolves once the Sentinels name the promoted replica. */
  async redisFailover(): Promise<string> {
    const { former, promoted } = await this.replicated().failover();
    return `redis failed over: ${promoted} is primary now, ${former} a replica`;
  }

  /** For the failover scenarios: the replicas follow `redis` through redis-relay until `release` (replicated only). */
  async laggingReplication(): Promise<LaggingReplication> {
    const replicas = this.options.services.filter((service) => service.startsWith('redis-node-'));
    return await composeLaggingReplication(
      (args) => this.compose(args),
      (args) => this.docker(args),
      this.replicated(),
      replicas,
    );
  }

  /** Sets the toxic of the redis-relay service through `docker compose exec` (its control port is its own loopback). */
  async redisToxic(toxic: RedisToxic | null): Promise<string> {
    if (this.sentinels) {
      throw new LabError(
        'fault_not_here',
        'slow, stall and heal act on the relay in front of a single Redis; this compose lab runs a replicated one, ' +
          'which the shops reach through its Sentinels',
      );
    }
    if (!this.options.services.includes(RELAY_SERVICE)) {
      throw new LabError('fault_not_here', `this compose file runs no ${RELAY_SERVICE} service in front of Redis`);
    }
    const answer = await this.compose(relayToxicArgs(toxic));
    const now = Object.entries(JSON.parse(answer.trim() || '{}') as Record<string, { ms?: number }>)
      .map(([name, settings]) => (name === 'latency' ? `latency ${settings.ms} ms` : name))
      .join(', ');
    return describeToxic(toxic, now || 'none');
  }

  async scale(direction: 'out' | 'in', pool: string): Promise<string> {
    const id = `${pool}-${SCALE_INDEX}`;
    if (!this.options.services.some((service) => service.startsWith(`${pool}-`))) {
      throw new LabError('unknown_pool', `no pool "${pool}"`);
    }
    if (direction === 'out') {
      await this.compose(['--profile', 'scale', 'up', '--detach', '--wait', id]);
      await this.options.admin.addTarget(pool, { id, url: `http://${id}:${SHOP_PORT}` });
      return `${id} started (docker compose --profile scale up -d ${id}) and registered with the proxy in pool ${pool}`;
    }
    await this.options.admin.removeTarget(id);
    await this.compose(['--profile', 'scale', 'stop', id]);
    return `${id} removed from pool ${pool} and stopped`;
  }

  /** The Sentinels; refuses when the compose files run a single Redis. */
  private replicated(): ComposeSentinels {
    if (this.sentinels) return this.sentinels;
    throw new LabError(
      'fault_not_here',
      'the compose lab runs a single Redis ("redis"); redis-primary, redis-node-2 and failover need the replicated ' +
        'one: COMPOSE_FILE=compose.yaml:compose.replicated.yaml docker compose up, with COMPOSE_FILE kept set here',
    );
  }

  /** Refuses a target that is no service of the compose file. */
  private knownService(target: string): void {
    if (!this.options.services.includes(target)) {
      throw new LabError(
        'unknown_target',
        `no service "${target}"; the compose lab runs ${[...this.options.services].sort().join(', ')}`,
      );
    }
  }

  /** `docker compose [--project-name …] [--file …] ARGS`; resolves with what it printed. */
  private compose(args: readonly string[]): Promise<string> {
    const project = this.options.projectName ? ['--project-name', this.options.projectName] : [];
    const files = (this.options.files ?? []).flatMap((file) => ['--file', file]);
    return this.docker(['compose', ...project, ...files, ...args], ['compose', ...args]);
  }

  /**
   * `docker ARGS`; resolves with what it printed, or rejects with LabError `docker_failed` naming the command as
   * `shown` (without the project and file flags).
   */
  private async docker(args: readonly string[], shown = args): Promise<string> {
    const result = await this.run(args);
    if (result.code !== 0) {
      const detail = result.stderr.trim().split('\n').at(-1) ?? `exit code ${result.code}`;
      throw new LabError('docker_failed', `docker ${shown.join(' ')} failed: ${detail}`);
    }
    return result.stdout;
  }
}
