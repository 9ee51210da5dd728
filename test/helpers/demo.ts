// Starts `npm run demo` on free ports as a real child process and reads the URLs it prints, for tests that drive the
// CLIs.
import { ManagedChild } from '../../scripts/process/child.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';

/** A running demo and the URLs from its ready output. */
export interface RunningDemo {
  child: ManagedChild;
  /**
   * The shop of a pool through the proxy, e.g. `http://127.0.0.1:40123/memory`; undefined when the demo says it is not
   * running.
   */
  shopUrl(pool: string): string | undefined;
  /** The proxy's public listener, e.g. `http://127.0.0.1:40123`. */
  publicUrl: string | undefined;
  /** The proxy's control port (the status page's URL). */
  controlUrl: string | undefined;
  /** Everything the demo printed up to `ready`. */
  output: string;
}

/**
 * Spawns the demo with free ports (and `env`, and `flags` such as `['--redis', 'replicated']`), resolves once it
 * printed `ready`; the caller stops `child`.
 */
export async function startDemo(env: NodeJS.ProcessEnv = process.env, flags: string[] = []): Promise<RunningDemo> {
  const child = new ManagedChild({
    name: 'demo',
    command: process.execPath,
    args: ['--import', 'tsx', 'scripts/demo.ts', '--port', '0', '--control-port', '0', '--free-ports', ...flags],
    cwd: projectRoot,
    env,
  });
  const lines: string[] = [];
  try {
    await child.waitForLine(
      (line) => {
        lines.push(line);
        return /\bready\b/.test(line) ? true : undefined;
      },
      'its ready line',
      60_000,
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  const output = lines.join('\n');
  const url = (label: string) => new RegExp(`^\\s+${label}\\s+(http://\\S+?)/?$`, 'm').exec(output)?.[1];
  const shopUrl = (pool: string) => url(`${pool}\\s+shop`);
  return {
    child,
    shopUrl,
    publicUrl: shopUrl('memory')?.replace(/\/memory$/, ''),
    controlUrl: url('status page'),
    output,
  };
}

/** Runs one of the lab's command lines (`scripts/NAME.ts`) to its end; resolves with its exit code and output. */
async function runLabCommand(name: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = new ManagedChild({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', `scripts/${name}.ts`, ...args],
    cwd: projectRoot,
  });
  try {
    const exit = await child.exited;
    return { code: exit.code, output: child.recentOutput() };
  } finally {
    await child.kill();
  }
}

/** Runs `npm run fault -- ARGS` to its end; resolves with its exit code and what it printed. */
export function runFault(...args: string[]): Promise<{ code: number | null; output: string }> {
  return runLabCommand('fault', args);
}

/** Runs `npm run scenario -- ARGS` to its end; resolves with its exit code and what it printed. */
export function runScenario(...args: string[]): Promise<{ code: number | null; output: string }> {
  return runLabCommand('scenario', args);
}
