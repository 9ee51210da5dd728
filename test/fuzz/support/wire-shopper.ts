// A shopper over `wire.ts`: a cookie jar like a browser's, and its cart read back, so a fuzz input can be sent with
// the shopper's own cookies and the cart compared before and after.
import type http from 'node:http';
import { expect } from 'vitest';
import { findItem } from '../../../apps/cart/catalog.ts';
import { send, type WireAnswer, type WireRequest } from './wire.ts';

/** The cart JSON of the shop. */
export interface CartJson {
  instance: string;
  items: { sku: string; qty: number; note?: string }[];
  count: number;
}

/** One shopper of one shop, e.g. base `http://127.0.0.1:P` and prefix `/memory`. */
export class WireShopper {
  readonly cookies = new Map<string, string>();
  /** Every value the server ever set per cookie name: what this shopper has earned. */
  readonly issued = new Map<string, Set<string>>();

  readonly base: string;
  readonly prefix: string;
  private readonly agent: http.Agent;

  constructor(base: string, prefix: string, agent: http.Agent) {
    this.base = base;
    this.prefix = prefix;
    this.agent = agent;
  }

  /** The Cookie header of the jar. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /**
   * Sends `request` (path under the prefix) with the jar's cookies unless it brings a Cookie header; keeps what is set.
   */
  async request(request: WireRequest): Promise<WireAnswer> {
    const headers = { ...(this.cookies.size > 0 && { cookie: this.cookieHeader() }), ...request.headers };
    const answer = await send(this.base, { ...request, path: this.prefix + request.path, headers }, this.agent);
    this.remember(answer);
    return answer;
  }

  /** Adds a line; fails the test if the shop refuses. */
  async add(sku: string, qty: number, note?: string): Promise<CartJson> {
    const answer = await this.request({
      method: 'POST',
      path: '/api/cart/items',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, qty, note }),
    });
    expect(answer.status, answer.body).toBe(200);
    return JSON.parse(answer.body) as CartJson;
  }

  /** The cart as the shop shows it now; fails the test on anything but 200. */
  async cart(): Promise<CartJson> {
    const answer = await this.request({ method: 'GET', path: '/api/cart', headers: {} });
    expect(answer.status, answer.body).toBe(200);
    return JSON.parse(answer.body) as CartJson;
  }

  private remember(answer: WireAnswer): void {
    for (const line of answer.headers['set-cookie'] ?? []) {
      const pair = line.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) {
        this.cookies.delete(name);
        continue;
      }
      this.cookies.set(name, value);
      const seen = this.issued.get(name) ?? new Set<string>();
      seen.add(value);
      this.issued.set(name, seen);
    }
  }
}

/** Only catalog items, 1 to 99 of each, notes of at most 200 characters, counted right. */
export function expectValidCart(cart: CartJson): void {
  for (const line of cart.items) {
    expect(findItem(line.sku), line.sku).toBeDefined();
    expect(Number.isInteger(line.qty) && line.qty >= 1 && line.qty <= 99, JSON.stringify(line)).toBe(true);
    expect((line.note ?? '').length).toBeLessThanOrEqual(200);
  }
  expect(cart.count).toBe(cart.items.reduce((sum, line) => sum + line.qty, 0));
}

/** A cart without the fields that name who answered. */
export function contentOf(cart: CartJson): CartJson['items'] {
  return cart.items;
}
