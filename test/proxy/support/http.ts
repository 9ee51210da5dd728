// Small HTTP helpers for integration tests: a cookie jar per simulated client, JSON reads of the admin API.
import http from 'node:http';

/** One simulated client that keeps the cookies it is given, like a browser. */
export class Client {
  private readonly cookies = new Map<string, string>();

  /** Fetches `url` with the jar's cookies and stores the ones the answer sets. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  }

  /** The cookie `name`, if set. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** GETs JSON from `url`. */
export async function getJson<T = unknown>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Sends `method` with a JSON body and returns status and parsed body. */
// biome-ignore lint/suspicious/noExplicitAny: tests read whichever fields of the JSON answer they check
export async function sendJson(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A row of `GET /api/targets`. */
export interface TargetRow {
  id: string;
  pool: string;
  url: string;
  state: 'healthy' | 'unhealthy' | 'draining' | 'down';
  inflight: number;
  requests: number;
  boundSessions: number | null;
}

/** The state of target `id` as the control port reports it. */
export async function targetState(control: string, id: string): Promise<string | undefined> {
  const rows = await getJson<TargetRow[]>(`${control}/api/targets`);
  return rows.find((row) => row.id === id)?.state;
}

/** Collects the text of an event stream until closed. */
export async function openEvents(url: string): Promise<{ text(): string; close(): void }> {
  return new Promise((resolve, reject) => {
    let received = '';
    const request = http.get(url, (response) => {
      response.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      resolve({ text: () => received, close: () => request.destroy() });
    });
    request.once('error', (error) => {
      if (!request.destroyed) reject(error);
    });
  });
}
