// Finds the running lab through the proxy's control port: the admin client, and the driver of whatever runs the processes.
import { OrchestratorError, type OrchestratorDriver } from '../orchestrators/driver.ts';
import { NativeDriver } from '../orchestrators/native.ts';
import { ProxyAdmin } from './proxy-admin.ts';

/** Where the lab's proxy control port is unless told otherwise. */
export const DEFAULT_CONTROL_URL = 'http://127.0.0.1:8081';

/** What `GET /api/lab` on the control port says about the orchestrator. */
export interface LabInfo {
  orchestrator: 'native' | 'compose' | null;
  supervisorUrl?: string;
}

/** The admin client and the orchestrator driver of the lab at `controlUrl`. */
export async function discoverLab(controlUrl: string, options: { compose?: boolean } = {}): Promise<{ admin: ProxyAdmin; driver: OrchestratorDriver }> {
  const admin = new ProxyAdmin(controlUrl);
  if (options.compose) {
    throw new OrchestratorError('the compose driver is not built yet; run the lab with npm run demo');
  }
  const info = await admin.call<LabInfo>('GET', '/api/lab');
  if (info.orchestrator !== 'native' || !info.supervisorUrl) {
    throw new OrchestratorError(`the proxy at ${controlUrl} was not started by npm run demo (orchestrator: ${info.orchestrator}); under Docker Compose pass --compose`);
  }
  return { admin, driver: new NativeDriver(info.supervisorUrl) };
}
