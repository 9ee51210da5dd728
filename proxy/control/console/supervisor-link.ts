// The control port's line to the native supervisor of `npm run demo` (config `lab.supervisorUrl`), so the browser
// reaches it same-origin; its answers, errors included, pass through unchanged.
import type { LabInfo } from '../control-server.ts';
import { ConsoleError } from './console-error.ts';

/** Restarts and scale-outs wait for the proxy to see the instance healthy (up to 10 s on the supervisor's side). */
const TIMEOUT_MS = 30_000;

/** The supervisor's status and JSON body. */
export interface SupervisorAnswer {
  status: number;
  body: unknown;
}

/**
 * Calls `path` on the lab's supervisor with the run's `secret` (given to the proxy by the supervisor, never part of a
 * URL);
 * throws a ConsoleError when there is none or it does not answer.
 */
export async function callSupervisor(
  lab: LabInfo,
  secret: string | undefined,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<SupervisorAnswer> {
  const supervisorUrl = lab.orchestrator === 'native' ? lab.supervisorUrl : null;
  if (!supervisorUrl) throw new ConsoleError(409, 'orchestrator_unavailable', 'No native supervisor runs this lab.');
  let response: Response;
  try {
    response = await fetch(supervisorUrl.replace(/\/$/, '') + path, {
      method,
      headers: {
        ...(secret !== undefined && { authorization: `Bearer ${secret}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ConsoleError(
      502,
      'supervisor_unreachable',
      `The supervisor at ${supervisorUrl} does not answer (${(error as Error).message}); is npm run demo still running?`,
    );
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new ConsoleError(
      502,
      'supervisor_unreachable',
      `The supervisor at ${supervisorUrl} answered ${response.status} without JSON.`,
    );
  }
}
