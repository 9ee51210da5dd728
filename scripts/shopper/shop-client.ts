// A shopper's HTTP client with its own cookie jar: what tests and scenarios use to act like one browser.

import { waitUntil } from '../process/wait.ts';

/** One answer from the shop, with the JSON body parsed when there is one. */
export interface ShopResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** `X-Served-By`: the instance that answered. */
  servedBy: string | null;
}

/** Cart JSON of docs/contract.md. */
export interface CartBody {
  instance: string;
  mode: string;
  items: { sku: string; name: string; qty: number; unitPrice: number; note?: string }[];
  count: number;
  total: number;
}

/**
 * The answer began (status and headers arrived) but its connection broke before the body ended: the
 * server died while writing it. No proxy can replay an answer it has already begun to forward.
 */
export class AnswerCutError extends Error {
  constructor(cause: unknown) {
    super('the answer was cut off before its end', { cause });
    this.name = 'AnswerCutError';
  }
}

/** Options for a shopper. */
export interface ShopClientOptions {
  /** Drop every cookie the server sets (a client without cookies). Default false. */
  dropCookies?: boolean;
  /** Headers sent with every request, e.g. `X-Forwarded-For` behind a trusted proxy. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms (default 5000). */
  timeoutMs?: number;
  /** A cookie jar to share with other clients: tabs of one browser. Default: a jar of its own. */
  cookies?: Map<string, string>;
}

/** A shopper on one shop (base URL such as `http://127.0.0.1:8080/memory`), keeping cookies like a browser would. */
export class ShopClient {
  readonly baseUrl: string;
  /** Cookie name to value; paths and domains are ignored because one client talks to one shop. */
  readonly cookies: Map<string, string>;
  private readonly options: ShopClientOptions;

  constructor(baseUrl: string, options: ShopClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.options = options;
    this.cookies = options.cookies ?? new Map();
  }

  /** Sends a request; a body that is not a string is sent as JSON. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ShopResponse<T>> {
    const allHeaders: Record<string, string> = { ...this.options.headers, ...headers };
    if (this.cookies.size > 0 && !('cookie' in allHeaders)) {
      allHeaders.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      allHeaders['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: allHeaders,
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    if (!this.options.dropCookies) this.remember(response.headers.getSetCookie());
    const text = await readBody(response);
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('application/json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return {
      status: response.status,
      headers: response.headers,
      body: parsed as T,
      servedBy: response.headers.get('x-served-by'),
    };
  }

  /** `GET /api/cart`. */
  getCart(): Promise<ShopResponse<CartBody>> {
    return this.request<CartBody>('GET', '/api/cart');
  }

  /**
   * The cart's lines once a read answers 200: after a store failover each shop instance reconnects on its own, so the
   * one a read meets may still refuse when another already serves. Rejects after `timeoutMs`.
   */
  async cartOnceServed(timeoutMs = 30_000): Promise<CartBody['items']> {
    let items: CartBody['items'] = [];
    await waitUntil(
      async () => {
        const answer = await this.getCart();
        if (answer.status === 200) items = answer.body.items;
        return answer.status === 200;
      },
      'the cart to be readable',
      { timeoutMs, intervalMs: 100 },
    );
    return items;
  }

  /** `POST /api/cart/items`. */
  add(sku: string, qty = 1, note?: string): Promise<ShopResponse<CartBody>> {
    return this.request<CartBody>('POST', '/api/cart/items', note === undefined ? { sku, qty } : { sku, qty, note });
  }

  /** `DELETE /api/cart/items/:sku`. */
  remove(sku: string): Promise<ShopResponse<CartBody>> {
    return this.request<CartBody>('DELETE', `/api/cart/items/${encodeURIComponent(sku)}`);
  }

  /** `DELETE /api/cart`. */
  clear(): Promise<ShopResponse<CartBody>> {
    return this.request<CartBody>('DELETE', '/api/cart');
  }

  private remember(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', attributeValue = ''] = attribute.split('=').map((part) => part.trim());
        if (key.toLowerCase() === 'max-age') return Number(attributeValue) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(attributeValue) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/**
 * The body of an answer whose head has arrived; a broken connection becomes {@link AnswerCutError}, our own timeout
 * stays itself.
 */
async function readBody(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw error;
    throw new AnswerCutError(error);
  }
}
