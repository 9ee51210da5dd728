// Finds the running lab through the proxy's control port: the admin client, and the driver of whatever runs the
// processes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ComposeDriver } from '../orchestrators/compose.ts';
import { type OrchestratorDriver, OrchestratorError } from '../orchestrators/driver.ts';
import { NativeDriver } from '../orchestrators/native.ts';
import { projectRoot } from '../process/project-root.ts';
import { readSupervisorSecret, secretFile } from '../stack/supervisor-secret.ts';
import { ProxyAdmin } from './proxy-admin.ts';

/** Where the lab's proxy control port is unless told otherwise: `$LAB_CONTROL_URL`, else the demo's. */
export const DEFAULT_CONTROL_URL = process.env.LAB_CONTROL_URL ?? 'http://127.0.0.1:8081';
/** The project's compose file. */
export const COMPOSE_FILE = join(projectRoot, 'compose.yaml');

/** What `GET /api/lab` on the control port says about the orchestrator. */
export interface LabInfo {
  orchestrator: 'native' | 'compose' | null;
  supervisorUrl?: string | null;
  publicUrl?: string;
}

/** The services of a compose file that faults may target: every instance and redis, not the proxy. */
export function composeServices(file = COMPOSE_FILE): string[] {
  const document = parse(readFileSync(file, 'utf8'), { merge: true }) as { services?: Record<string, unknown> };
  return Object.keys(document.services ?? {}).filter((service) => service !== 'proxy');
}

/** The admin client and the orchestrator driver of the lab at `controlUrl`. */
export async function discoverLab(
  controlUrl: string,
  options: { compose?: boolean } = {},
): Promise<{ admin: ProxyAdmin; driver: OrchestratorDriver }> {
  const admin = new ProxyAdmin(controlUrl);
  const info = await admin.call<LabInfo>('GET', '/api/lab');
  if (options.compose) {
    return { admin, driver: new ComposeDriver({ file: COMPOSE_FILE, services: composeServices(), admin }) };
  }
  if (info.orchestrator === 'compose') {
    throw new OrchestratorError(
      'this lab runs under Docker Compose: add --compose (run it on the host, where docker is)',
    );
  }
  if (info.orchestrator !== 'native' || !info.supervisorUrl) {
    throw new OrchestratorError(
      `the proxy at ${controlUrl} was not started by npm run demo, so nothing can act on its processes`,
    );
  }
  const secret = readSupervisorSecret(info.supervisorUrl);
  if (secret === undefined) {
    throw new OrchestratorError(
      `no secret for the demo supervisor at ${info.supervisorUrl} in ${secretFile(info.supervisorUrl)}: run this as the user who started npm run demo, on the same machine`,
    );
  }
  return { admin, driver: new NativeDriver(info.supervisorUrl, secret) };
}
