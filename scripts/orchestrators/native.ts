// The native driver: asks the `npm run demo` supervisor, found through the proxy's control port, to act on a process.
import type { ProcessAction, ServiceStatus } from '../stack/native-stack.ts';
import { actionDone, type OrchestratorDriver, OrchestratorError } from './driver.ts';

/** Drives the native supervisor at `supervisorUrl` with its per-run `secret`. */
export class NativeDriver implements OrchestratorDriver {
  readonly name = 'native' as const;
  private readonly supervisorUrl: string;
  private readonly secret: string;

  constructor(supervisorUrl: string, secret: string) {
    this.supervisorUrl = supervisorUrl.replace(/\/$/, '');
    this.secret = secret;
  }

  async act(action: ProcessAction, target: string): Promise<string> {
    const status = await this.call<ServiceStatus>(`/api/services/${encodeURIComponent(target)}/${action}`);
    const where = status.port ? ` (port ${status.port})` : '';
    return `${status.id} ${actionDone[action]}${where}; now ${status.state}`;
  }

  async scale(direction: 'out' | 'in', pool: string): Promise<string> {
    const status = await this.call<ServiceStatus>(`/api/pools/${encodeURIComponent(pool)}/scale-${direction}`);
    return direction === 'out'
      ? `${status.id} started on port ${status.port} and registered with the proxy in pool ${pool}`
      : `${status.id} removed from pool ${pool} and stopped`;
  }

  /** The supervisor's service list. */
  services(): Promise<ServiceStatus[]> {
    return this.call<ServiceStatus[]>('/api/services', 'GET');
  }

  private async call<T>(path: string, method = 'POST'): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.supervisorUrl + path, {
        method,
        headers: { authorization: `Bearer ${this.secret}` },
        signal: AbortSignal.timeout(20_000),
      });
    } catch {
      throw new OrchestratorError(
        `the demo supervisor at ${this.supervisorUrl} does not answer; is npm run demo still running?`,
      );
    }
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    if (!response.ok) throw new OrchestratorError(body?.error?.message ?? `supervisor answered ${response.status}`);
    return body as T;
  }
}
