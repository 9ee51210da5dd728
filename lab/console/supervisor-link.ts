// The console's line to the native supervisor of `npm run demo`, so the browser reaches it same-origin: the lab
// proxy holds the supervisor's secret, never the page.
import type { LabInfo } from '../../contract/wire.ts';
import { LabError } from '../errors.ts';
import { whyNotHere } from './manual-commands.ts';

/** Restarts and scale-outs wait for the proxy to see the instance healthy (up to 10 s on the supervisor's side). */
const TIMEOUT_MS = 30_000;

/** The supervisor's status and JSON body, passed on to the browser unchanged. */
export interface SupervisorAnswer {
  status: number;
  body: unknown;
}

/** Calls the supervisor of the lab `lab()` describes, with the run's secret. */
export class SupervisorLink {
  /** The lab as `GET /api/lab` describes it. */
  readonly lab: () => LabInfo;
  /** The supervisor's per-run secret (`LAB_SUPERVISOR_SECRET`); never shown by any route. */
  readonly secret: string | undefined;

  constructor(lab: () => LabInfo, secret: string | undefined) {
    this.lab = lab;
    this.secret = secret;
  }

  /**
   * The supervisor's URL, or a LabError `orchestrator_unavailable` saying why the console cannot do `subject` here
   * (with `details`, e.g. the commands to run instead).
   */
  url(subject: 'faults' | 'scenarios', details?: unknown): string {
    const lab = this.lab();
    if (lab.orchestrator !== 'native' || !lab.supervisorUrl) {
      throw new LabError('orchestrator_unavailable', whyNotHere(lab, subject), details);
    }
    return lab.supervisorUrl.replace(/\/$/, '');
  }

  /** Calls `path` on the supervisor; a LabError `supervisor_unreachable` when it does not answer with JSON. */
  async call(
    subject: 'faults' | 'scenarios',
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<SupervisorAnswer> {
    const supervisorUrl = this.url(subject);
    let response: Response;
    try {
      response = await fetch(supervisorUrl + path, {
        method,
        headers: {
          ...(this.secret !== undefined && { authorization: `Bearer ${this.secret}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new LabError(
        'supervisor_unreachable',
        `The supervisor at ${supervisorUrl} does not answer (${(error as Error).message}); ` +
          'is npm run demo still running?',
      );
    }
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch {
      throw new LabError(
        'supervisor_unreachable',
        `The supervisor at ${supervisorUrl} answered ${response.status} without JSON.`,
      );
    }
  }
}
