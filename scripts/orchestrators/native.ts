// The native driver: asks the `npm run demo` supervisor, found through the control port's `GET /api/lab`, to inject a
// catalogued fault; the supervisor runs it and answers with what happened.
import type { FaultOutcome } from '../../contract/wire.ts';
import { isLabErrorCode, LabError } from '../../lab/errors.ts';
import type { ProcessAction } from '../stack/process-states.ts';
import type { OrchestratorDriver, RedisToxic } from './driver.ts';

/**
 * Restarts and scale-outs wait for the proxy to see the instance healthy (up to 10 s on the supervisor's side); a Redis
 * failover for the Sentinels to promote a replica and for the former primary to follow it (up to 30 s each).
 */
const TIMEOUT_MS = 70_000;

/** Drives the native supervisor at `supervisorUrl` with its per-run `secret`. */
export class NativeDriver implements OrchestratorDriver {
  readonly name = 'native' as const;
  private readonly supervisorUrl: string;
  private readonly secret: string;

  constructor(supervisorUrl: string, secret: string) {
    this.supervisorUrl = supervisorUrl.replace(/\/$/, '');
    this.secret = secret;
  }

  act(action: ProcessAction, target: string): Promise<string> {
    return this.fault(action, target);
  }

  scale(direction: 'out' | 'in', pool: string): Promise<string> {
    return this.fault(`scale-${direction}`, pool);
  }

  network(target: string, cut: boolean): Promise<string> {
    return this.fault(cut ? 'blackhole' : 'unblackhole', target);
  }

  redisFailover(): Promise<string> {
    return this.fault('failover', 'redis');
  }

  redisToxic(toxic: RedisToxic | null): Promise<string> {
    if (toxic === null) return this.fault('heal', 'redis');
    return toxic.name === 'latency' ? this.fault('slow', 'redis', { ms: toxic.ms }) : this.fault('stall', 'redis');
  }

  /** `POST /api/faults/:name/:target` on the supervisor, with the fault's `settings`; resolves with its message. */
  private async fault(name: string, target: string, settings?: { ms: number }): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${this.supervisorUrl}/api/faults/${name}/${encodeURIComponent(target)}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.secret}`,
          ...(settings && { 'content-type': 'application/json' }),
        },
        ...(settings && { body: JSON.stringify(settings) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new LabError(
        'supervisor_unreachable',
        `the demo supervisor at ${this.supervisorUrl} does not answer; is npm run demo still running?`,
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      | (FaultOutcome & { error?: { code?: string; message?: string } })
      | undefined;
    if (!response.ok) {
      const code = body?.error?.code;
      throw new LabError(
        isLabErrorCode(code) ? code : 'supervisor_unreachable',
        body?.error?.message ?? `the supervisor answered ${response.status}`,
      );
    }
    return body?.message ?? '';
  }
}
