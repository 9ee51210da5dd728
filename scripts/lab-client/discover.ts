// Finds the running lab through the lab proxy's control port (`GET /api/lab`): the admin client, and the driver of
// whatever runs the processes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { LabInfo } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import { ComposeDriver } from '../orchestrators/compose.ts';
import type { OrchestratorDriver } from '../orchestrators/driver.ts';
import { NativeDriver } from '../orchestrators/native.ts';
import { projectRoot } from '../process/project-root.ts';
import { readSupervisorSecret, secretFile } from '../stack/supervisor-secret.ts';
import { ProxyAdmin } from './proxy-admin.ts';

/** Where the lab's proxy control port is unless told otherwise: `$LAB_CONTROL_URL`, else the demo's. */
export const DEFAULT_CONTROL_URL = process.env.LAB_CONTROL_URL ?? 'http://127.0.0.1:8081';
/** The project's compose file. */
export const COMPOSE_FILE = join(projectRoot, 'compose.yaml');

/**
 * The compose files the lab runs with: `$COMPOSE_FILE` as `docker compose` reads it (paths separated by
 * `$COMPOSE_PATH_SEPARATOR`, default `:`; relative to the project), else compose.yaml.
 */
export function composeFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env.COMPOSE_FILE ?? '').split(env.COMPOSE_PATH_SEPARATOR || ':').filter(Boolean);
  return listed.length > 0 ? listed.map((file) => resolve(projectRoot, file)) : [COMPOSE_FILE];
}

/** The running lab: its proxy's admin client and the driver of its processes. */
export interface DiscoveredLab {
  admin: ProxyAdmin;
  driver: OrchestratorDriver;
}

/** The services of the compose files that faults may target: every instance and Redis server, not the proxy. */
export function composeServices(files: readonly string[] = [COMPOSE_FILE]): string[] {
  const services = new Set<string>();
  for (const file of files) {
    const document = parse(readFileSync(file, 'utf8'), { merge: true }) as { services?: Record<string, unknown> };
    for (const service of Object.keys(document.services ?? {})) services.add(service);
  }
  services.delete('proxy');
  return [...services];
}

/** What the control port says about the lab; a proxy started alone (`npm run proxy`) has no `/api/lab`. */
async function labInfo(admin: ProxyAdmin): Promise<Pick<LabInfo, 'orchestrator' | 'supervisorUrl'>> {
  try {
    return await admin.call<LabInfo>('GET', '/api/lab');
  } catch (error) {
    const code = (error as { details?: { error?: { code?: string } } }).details?.error?.code;
    if (error instanceof LabError && code === 'not_found') return { orchestrator: null, supervisorUrl: null };
    throw error;
  }
}

/** The admin client and the orchestrator driver of the lab at `controlUrl`. */
export async function discoverLab(controlUrl: string, options: { compose?: boolean } = {}): Promise<DiscoveredLab> {
  const admin = new ProxyAdmin(controlUrl);
  const info = await labInfo(admin);
  if (options.compose) {
    const files = composeFiles();
    return { admin, driver: new ComposeDriver({ files, services: composeServices(files), admin }) };
  }
  if (info.orchestrator === 'compose') {
    throw new LabError(
      'orchestrator_unavailable',
      'this lab runs under Docker Compose: add --compose (run it on the host, where docker is)',
    );
  }
  if (info.orchestrator !== 'native' || !info.supervisorUrl) {
    throw new LabError(
      'orchestrator_unavailable',
      `the proxy at ${controlUrl} was not started by npm run demo, so nothing can act on its processes`,
    );
  }
  const secret = readSupervisorSecret(info.supervisorUrl);
  if (secret === undefined) {
    throw new LabError(
      'supervisor_secret_missing',
      `no secret for the demo supervisor at ${info.supervisorUrl} in ${secretFile(info.supervisorUrl)}: ` +
        'run this as the user who started npm run demo, on the same machine',
    );
  }
  return { admin, driver: new NativeDriver(info.supervisorUrl, secret) };
}
