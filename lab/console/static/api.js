// @ts-check
// Same-origin JSON calls to the control port, with the proxy's error shape turned into one readable line.

/**
 * @typedef {{ code: string, message: string, details?: unknown }} ApiError
 * @typedef {{ ok: true, status: number, body: any, headers: Headers } | { ok: false, status: number, error: ApiError,
 *   headers: Headers }} ApiAnswer
 */

/**
 * Sends a request and never throws: a transport failure becomes an `ApiError` with code `unreachable`.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<ApiAnswer>}
 */
export async function call(method, path, body) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (error) {
    return {
      ok: false,
      status: 0,
      headers: new Headers(),
      error: { code: 'unreachable', message: `The control port does not answer (${String(error)}).` },
    };
  }
  const parsed = await response.json().catch(() => undefined);
  if (response.ok) return { ok: true, status: response.status, body: parsed, headers: response.headers };
  const error =
    parsed && typeof parsed === 'object' && 'error' in parsed
      ? parsed.error
      : { code: `http_${response.status}`, message: response.statusText };
  return { ok: false, status: response.status, error, headers: response.headers };
}

/**
 * The body of a successful GET, or undefined.
 * @param {string} path
 */
export async function getJson(path) {
  const answer = await call('GET', path);
  return answer.ok ? answer.body : undefined;
}

/**
 * One line for a person: the message, then each detail.
 * @param {ApiError} error
 */
export function describeError(error) {
  const details = Array.isArray(error.details) ? ` (${error.details.join('; ')})` : '';
  return `${error.message}${details} [${error.code}]`;
}
