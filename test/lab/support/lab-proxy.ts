// The lab proxy (lab/main.ts: the proxy with the lab's console and routes) from a config on ports the kernel chooses,
// for tests of the lab's routes; stopped after each test with the proxy support's other processes.
import { type LabOptions, labEnv } from '../../../lab/lab-options.ts';
import { ManagedChild } from '../../../scripts/process/child.ts';
import { listeningRecord } from '../../../scripts/process/listening-line.ts';
import { projectRoot } from '../../../scripts/process/project-root.ts';
import { type ProxyProcess, track, writeConfig } from '../../proxy/support/processes.ts';

/** Starts the lab proxy with `config` and `lab`'s options (default: nobody runs its processes). */
export async function startLabProxy(
  config: Record<string, unknown>,
  lab: LabOptions = { orchestrator: null },
): Promise<ProxyProcess> {
  const file = writeConfig({ listener: { host: '127.0.0.1', port: 0 }, control: { port: 0 }, ...config });
  const child = new ManagedChild({
    name: 'lab-proxy',
    command: process.execPath,
    args: ['--import', 'tsx', 'lab/main.ts', '--config', file],
    cwd: projectRoot,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      PROXY_COOKIE_SECRET: 'integration-test-secret-0123456789',
      ...labEnv(lab),
    },
  });
  track(child);
  const listening = await child.waitForLine(listeningRecord, 'its listening line', 15_000);
  const port = listening.port as number;
  const controlPort = listening.controlPort as number;
  return {
    child,
    port,
    controlPort,
    url: `http://127.0.0.1:${port}`,
    control: `http://127.0.0.1:${controlPort}`,
    listening,
  };
}
