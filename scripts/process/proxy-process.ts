// Starts the lab proxy as a real child process and waits until both of its ports answer.
import { bundledEntry } from './bundle.ts';
import { ManagedChild } from './child.ts';
import { listeningRecord } from './listening-line.ts';
import { projectRoot } from './project-root.ts';

/** What to start. */
export interface ProxyProcessOptions {
  configPath: string;
  /** `lab`: the lab proxy (lab/main.ts: the lab's routes on its control port); default: the proxy alone. */
  entry?: 'proxy' | 'lab';
  /** Public port; 0 picks a free one. Default: the config's. */
  port?: number;
  /** Control port; 0 picks a free one. Default: the config's. */
  controlPort?: number;
  env?: Record<string, string>;
  onLine?: (line: string) => void;
}

/** A running proxy. */
export interface ProxyProcess {
  readonly port: number;
  readonly controlPort: number;
  /** Public listener, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Control port, e.g. `http://127.0.0.1:8081`. */
  readonly controlUrl: string;
  readonly child: ManagedChild;
}

/** Spawns `proxy/main.ts` or `lab/main.ts` (bundled) and resolves once it has printed its listening line. */
export async function startProxyProcess(options: ProxyProcessOptions): Promise<ProxyProcess> {
  const entry = options.entry === 'lab' ? 'lab/main.ts' : 'proxy/main.ts';
  const args = [await bundledEntry(entry), '--config', options.configPath];
  if (options.port !== undefined) args.push('--port', String(options.port));
  if (options.controlPort !== undefined) args.push('--control-port', String(options.controlPort));
  const child = new ManagedChild({
    name: 'proxy',
    command: process.execPath,
    args,
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...options.env },
    onLine: options.onLine && ((line) => options.onLine?.(line)),
  });
  try {
    const ports = await child.waitForLine(listeningPorts, 'its listening line', 15_000);
    return {
      ...ports,
      url: `http://127.0.0.1:${ports.port}`,
      controlUrl: `http://127.0.0.1:${ports.controlPort}`,
      child,
    };
  } catch (error) {
    await child.kill();
    throw error;
  }
}

function listeningPorts(line: string): { port: number; controlPort: number } | undefined {
  const record = listeningRecord(line);
  if (typeof record?.port !== 'number' || typeof record.controlPort !== 'number') return undefined;
  return { port: record.port, controlPort: record.controlPort };
}
