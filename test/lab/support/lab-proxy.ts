// The lab proxy (lab/main.ts: the proxy with the lab's console and routes) from a config on ports the kernel chooses,
// for tests of the lab's routes; stopped after each test with the proxy support's other processes.
import { type LabOptions, labEnv } from '../../../lab/lab-options.ts';
import { type ProxyProcess, startProxy } from '../../proxy/support/processes.ts';

/** Starts the lab proxy with `config` and `lab`'s options (default: nobody runs its processes). */
export function startLabProxy(
  config: Record<string, unknown>,
  lab: LabOptions = { orchestrator: null },
): Promise<ProxyProcess> {
  return startProxy(config, { entry: 'lab/main.ts', env: labEnv(lab) });
}
