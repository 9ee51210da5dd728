// The one table of errors the cart app can answer with: stable codes, their HTTP status and message.

/** Every error code a client can see, with its status and default message. */
export const errorTable = {
  bad_request: { status: 400, message: 'The request could not be understood.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_body: { status: 400, message: 'The request body does not have the expected shape.' },
  unknown_sku: { status: 400, message: 'No catalog item has this sku.' },
  quantity_limit: { status: 400, message: 'A cart line holds at most 99 of an item.' },
  not_found: { status: 404, message: 'Nothing here.' },
  item_not_in_cart: { status: 404, message: 'The cart has no line with this sku.' },
  payload_too_large: { status: 413, message: 'The request body is larger than 16 KB.' },
  cart_too_large_for_token: {
    status: 413,
    message: 'The cart would make the session cookie larger than 4 KB; it was not changed.',
  },
  expectation_failed: { status: 417, message: 'Only "Expect: 100-continue" is understood.' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json (UTF-8).' },
  headers_too_large: { status: 431, message: 'The request headers (cookies included) are too large.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
  session_store_unavailable: {
    status: 503,
    message: 'The session store cannot be reached; the cart is safe but cannot be read or changed right now.',
  },
  session_store_unconfirmed: {
    status: 503,
    message:
      'The session store did not confirm the change in time: it may or may not have been saved; ' +
      'reload the cart before trying again.',
  },
  replication_unconfirmed: {
    status: 503,
    message:
      'No replica confirmed the change in time, so it was not acknowledged; reload the cart before trying again.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code from the table. */
export type ErrorCode = keyof typeof errorTable;

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** An error that is meant for the client: its code decides status and default message. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, options?: { details?: unknown; cause?: unknown }) {
    super(message ?? errorTable[code].message, { cause: options?.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorTable[code].status;
    this.details = options?.details;
  }

  /** The response body for this error. */
  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }
}
