// The one table of errors the lab answers or prints (console routes, the supervisor, the fault CLI and drivers): a
// stable code, its HTTP status and a default message, as proxy/errors.ts is for the proxy and apps/cart/errors.ts for
// the shop.
import type { ErrorRequestHandler } from 'express';

/** Every error code of the lab, with its status and default message. */
export const labErrorTable = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_body: { status: 400, message: 'The request body does not have the expected shape.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  invalid_settings: { status: 400, message: 'A setting of the lab is not valid.' },
  invalid_toxic: { status: 400, message: 'No toxic has this name, or its settings are not valid.' },
  not_found: { status: 404, message: 'Nothing here.' },
  method_not_allowed: { status: 405, message: 'This method is not accepted here.' },
  unknown_fault: { status: 404, message: 'No fault of the catalogue has this name.' },
  unknown_target: { status: 404, message: 'No instance or service has this id.' },
  unknown_pool: { status: 404, message: 'No pool has this name.' },
  unknown_scenario: { status: 404, message: 'No scenario has this name.' },
  no_served_instance: { status: 404, message: 'No instance has served this terminal shopper yet.' },
  not_possible: { status: 409, message: 'The process is not in a state that allows this.' },
  orchestrator_unavailable: { status: 409, message: 'No orchestrator of this lab can act on its processes.' },
  fault_not_here: { status: 409, message: 'This fault cannot be injected under this orchestrator.' },
  needs_own_stack: { status: 409, message: 'This scenario needs a stack of its own; run it without --control.' },
  balancer_unavailable: { status: 409, message: 'That balancer is not installed here, or cannot do this.' },
  port_in_use: { status: 409, message: 'A port the lab needs is in use.' },
  secret_not_private: { status: 500, message: "The lab's secret directory is not private to this user." },
  process_failed: { status: 500, message: 'A process of the lab did not start or did not answer in time.' },
  scenario_failed: { status: 500, message: 'The scenario could not finish.' },
  timed_out: { status: 504, message: 'What the lab waited for did not happen in time.' },
  supervisor_secret_missing: { status: 401, message: "This user has no secret for the lab's supervisor." },
  supervisor_unreachable: { status: 502, message: 'The native supervisor does not answer.' },
  proxy_unreachable: { status: 502, message: "The lab proxy's control port does not answer." },
  proxy_refused: { status: 502, message: "The lab proxy's control port refused the call." },
  public_listener_unreachable: { status: 502, message: "The proxy's public listener did not answer." },
  docker_failed: { status: 502, message: 'A docker compose command failed.' },
  console_unavailable: { status: 503, message: "The console's files are missing." },
  internal_error: { status: 500, message: 'Something went wrong inside the lab.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable lab error code. */
export type LabErrorCode = keyof typeof labErrorTable;

/** The JSON body of every lab error answer. */
export interface LabErrorBody {
  error: { code: LabErrorCode; message: string; details?: unknown };
}

/** A refusal or failure of the lab, worded for the person at the terminal or the console. */
export class LabError extends Error {
  readonly code: LabErrorCode;
  readonly status: number;
  /** Extra data for the client, e.g. `{ commands }` to run on the host instead. */
  readonly details: unknown;

  constructor(code: LabErrorCode, message?: string, details?: unknown) {
    super(message ?? labErrorTable[code].message);
    this.name = 'LabError';
    this.code = code;
    this.status = labErrorTable[code].status;
    this.details = details;
  }

  /** The response body for this error. */
  toBody(): LabErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details !== undefined && { details: this.details }) },
    };
  }
}

/** Whether `code` is one of the lab's codes (an answer of the supervisor passed on by a client). */
export function isLabErrorCode(code: unknown): code is LabErrorCode {
  return typeof code === 'string' && Object.hasOwn(labErrorTable, code);
}

/**
 * Answers a LabError, or a body the JSON parser refused, as `{ error: { code, message, details? } }`. With
 * `otherwise: 'next'` anything else goes on to the next handler (the proxy's, on the control port); with `'internal'`
 * it becomes a 500 `internal_error` that names no stack frame.
 */
export function labErrors(otherwise: 'next' | 'internal'): ErrorRequestHandler {
  return (error, _req, res, next) => {
    const type = (error as { type?: unknown }).type;
    const known =
      error instanceof LabError
        ? error
        : type === 'entity.parse.failed'
          ? new LabError('invalid_json')
          : type === 'entity.too.large'
            ? new LabError('payload_too_large')
            : otherwise === 'internal'
              ? new LabError('internal_error', error instanceof Error ? error.message : undefined)
              : undefined;
    if (!known) {
      next(error);
      return;
    }
    res.status(known.status).json(known.toBody());
  };
}
