// A Docker Compose project of the lab for the end-to-end test: the docker commands a person would type, under a project
// name of its own.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/process/project-root.ts';

/** What one command printed; it rejects on a non-zero exit with the last lines of its error output. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      {
        cwd: options.cwd ?? projectRoot,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `${command} ${args.join(' ')} failed: ${String(stderr || error.message)
                .trim()
                .split('\n')
                .slice(-5)
                .join('\n')}`,
            ),
          );
        else resolve(String(stdout));
      },
    );
  });
}

/** Undefined when a Docker engine answers, else why not. */
export async function noEngineReason(): Promise<string | undefined> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n').at(-1);
  }
}

/** The label .ci/docker/stand-in-images.sh puts on the base images it builds where no registry answers. */
const STAND_IN_LABEL = 'org.session-stickiness-lab.stand-in';

/** True when node:24-slim is CI's local stand-in: then containers here cannot reach the npm registry either. */
export async function baseImageIsStandIn(): Promise<boolean> {
  const labels = await run('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', 'node:24-slim']).catch(
    () => 'null',
  );
  return (JSON.parse(labels) as Record<string, string> | null)?.[STAND_IN_LABEL] === 'true';
}

/** Where the Dockerfile's `prebuilt` stage finds dist/ and the production node_modules/. */
const PREBUILT_DIR = join(projectRoot, '.tmp', 'docker-prebuilt');

/** Builds dist/ and installs the production dependencies on the host, for the Dockerfile's `prebuilt` stage. */
export async function prepareHostBuiltAppFiles(): Promise<void> {
  rmSync(PREBUILT_DIR, { recursive: true, force: true });
  mkdirSync(PREBUILT_DIR, { recursive: true });
  await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts']);
  for (const file of ['package.json', 'package-lock.json', 'dist'])
    cpSync(join(projectRoot, file), join(PREBUILT_DIR, file), { recursive: true });
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: PREBUILT_DIR,
    timeoutMs: 300_000,
  });
}

/** Removes what prepareHostBuiltAppFiles made. */
export function removeHostBuiltAppFiles(): void {
  rmSync(PREBUILT_DIR, { recursive: true, force: true });
}

/**
 * One compose project: `docker compose --project-name NAME --file compose.yaml [--file EXTRA…] …` with the ports in its
 * environment.
 */
export class ComposeProject {
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly files: string[];

  constructor(name: string, ports: { proxy: number; control: number }, extraFiles: readonly string[] = []) {
    this.name = name;
    this.files = ['compose.yaml', ...extraFiles];
    this.env = {
      ...process.env,
      COMPOSE_PROJECT_NAME: name,
      PROXY_PORT: String(ports.proxy),
      CONTROL_PORT: String(ports.control),
    };
  }

  /**
   * The same project with `file` laid over its files, e.g. compose.replicated.yaml; its environment names every file
   * in COMPOSE_FILE, as a person keeps it set for the lab's CLIs.
   */
  layered(file: string): ComposeProject {
    const ports = { proxy: Number(this.env.PROXY_PORT), control: Number(this.env.CONTROL_PORT) };
    const project = new ComposeProject(this.name, ports, [...this.files.slice(1), file]);
    project.env.COMPOSE_FILE = project.files.join(':');
    return project;
  }

  /** `docker compose … ARGS`. */
  compose(args: readonly string[], timeoutMs?: number): Promise<string> {
    return run(
      'docker',
      ['compose', '--project-name', this.name, ...this.files.flatMap((file) => ['--file', file]), ...args],
      { env: this.env, timeoutMs },
    );
  }

  /**
   * The health Docker reports for a service's container (`starting`, `healthy`, `unhealthy`), or its state when it has
   * no check.
   */
  async health(service: string): Promise<string> {
    const id = (await this.compose(['ps', '--all', '--quiet', service])).trim();
    if (id === '') return 'absent';
    return (
      await run('docker', [
        'inspect',
        '--format',
        '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}',
        id,
      ])
    ).trim();
  }

  /** Containers and volumes of this project that still exist. */
  async leftovers(): Promise<string[]> {
    const label = `label=com.docker.compose.project=${this.name}`;
    const containers = await run('docker', ['ps', '--all', '--quiet', '--filter', label]);
    const volumes = await run('docker', ['volume', 'ls', '--quiet', '--filter', label]);
    return [...containers.split('\n'), ...volumes.split('\n')].filter(Boolean);
  }

  /** `docker compose down -v` with the scale profile too, so that nothing of the project is left. */
  down(): Promise<string> {
    return this.compose(['--profile', 'scale', 'down', '--volumes', '--remove-orphans', '--timeout', '5'], 180_000);
  }
}
