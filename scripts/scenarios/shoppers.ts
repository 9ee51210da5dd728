// Simulated shoppers: each keeps its own cookie jar and remembers what it put in, so a cart's fate is observed, never
// assumed.
import { AnswerCutError, ShopClient, type ShopResponse } from '../shopper/shop-client.ts';

/** Requests the shoppers of one group sent, and how many failed (a 5xx answer or a transport error). */
export class RequestTally {
  total = 0;
  failed = 0;
  /** Failed requests whose answer had begun when its connection broke (an instance killed mid-write). */
  cut = 0;
  /** Milliseconds each failed request took, to report how fast failure was. */
  readonly failedMs: number[] = [];
  /** Answers per instance (`X-Served-By`), for load spread. */
  readonly servedBy = new Map<string, number>();

  record(status: number | undefined, ms: number, servedBy: string | null): void {
    this.total += 1;
    if (status === undefined || status >= 500) {
      this.failed += 1;
      this.failedMs.push(ms);
    }
    if (servedBy && status !== undefined && status < 500)
      this.servedBy.set(servedBy, (this.servedBy.get(servedBy) ?? 0) + 1);
  }
}

/**
 * The pauses between the reads of the cart at the end, as a shopper reloads a page that failed, before the cart counts
 * as gone: every shop instance reconnects to its store on its own, up to 500 ms apart, so one may still refuse when
 * another already serves.
 */
const RELOAD_PAUSES_MS = [250, 500, 1_000];

/**
 * The shop's 503 codes for a change it sent to the store and got no answer for (docs/contract.md): it may have landed.
 */
const UNCONFIRMED_CODES = new Set(['session_store_unconfirmed', 'replication_unconfirmed']);

/** The error code of an answer's JSON body, if it has one. */
function errorCode(answer: ShopResponse<unknown>): string | undefined {
  return (answer.body as { error?: { code?: string } } | null)?.error?.code;
}

/** What to put in a cart: a few lines, each with a quantity. */
const ITEMS = ['tea-green', 'mug', 'honey', 'cocoa', 'biscuits', 'kettle', 'almonds', 'candle'];

/** Options for one shopper. */
export interface ShopperOptions {
  /** A client that drops every cookie. */
  dropCookies?: boolean;
  /** The client address a trusted proxy in front reports (`X-Forwarded-For`), for source-IP stickiness. */
  clientAddress?: string;
}

/** One simulated shopper on one shop. */
export class Shopper {
  readonly name: string;
  readonly client: ShopClient;
  /** sku -> qty this shopper successfully added. */
  readonly expected = new Map<string, number>();
  /**
   * sku -> qty of adds whose fate the shopper cannot know: no answer, the balancer's 502/504 after the request may
   * have reached the shop, or the shop's own "unconfirmed" 503. The cart may hold them or not; neither is a lost cart.
   */
  readonly unconfirmed = new Map<string, number>();
  /** The instance that answered the shopper's last successful request. */
  lastServedBy: string | null = null;
  private readonly tally: RequestTally;

  constructor(name: string, shopUrl: string, tally: RequestTally, options: ShopperOptions = {}) {
    this.name = name;
    this.tally = tally;
    this.client = new ShopClient(shopUrl, {
      dropCookies: options.dropCookies,
      headers: options.clientAddress ? { 'x-forwarded-for': options.clientAddress } : undefined,
      timeoutMs: 5_000,
    });
  }

  /**
   * Adds `lines` distinct items and says how many were acknowledged; only answers of 200 change what the shopper
   * expects.
   */
  async fill(lines: number, offset = 0): Promise<number> {
    let acknowledged = 0;
    for (let index = 0; index < lines; index += 1) {
      const sku = ITEMS[(offset + index) % ITEMS.length] as string;
      const qty = 1 + ((offset + index) % 3);
      const answer = await this.send(() => this.client.add(sku, qty));
      const fateUnknown =
        answer === undefined ||
        answer.status === 502 ||
        answer.status === 504 ||
        UNCONFIRMED_CODES.has(errorCode(answer) ?? '');
      if (fateUnknown) {
        this.unconfirmed.set(sku, (this.unconfirmed.get(sku) ?? 0) + qty);
      }
      if (answer?.status !== 200) continue;
      this.expected.set(sku, (this.expected.get(sku) ?? 0) + qty);
      acknowledged += 1;
    }
    return acknowledged;
  }

  /** One look at the cart, as a browsing shopper would; counted like every request. */
  async browse(): Promise<void> {
    await this.send(() => this.client.getCart());
  }

  /**
   * True when the cart the shop shows now holds every acknowledged add and nothing the shopper did not send (an add
   * whose answer never came may be there or not). A failed read is tried again, as a shopper reloads the page, so a
   * busy machine's slow answer never counts as a lost cart; each try is counted like every request.
   */
  async cartIsIntact(): Promise<boolean> {
    let answer: Awaited<ReturnType<ShopClient['getCart']>> | undefined;
    for (const pause of [0, ...RELOAD_PAUSES_MS]) {
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      answer = await this.send(() => this.client.getCart());
      if (answer !== undefined && answer.status < 500) break;
    }
    if (answer?.status !== 200) return false;
    const seen = new Map(answer.body.items.map((line) => [line.sku, line.qty]));
    for (const sku of new Set([...seen.keys(), ...this.expected.keys()])) {
      const held = seen.get(sku) ?? 0;
      const acknowledged = this.expected.get(sku) ?? 0;
      if (held < acknowledged || held > acknowledged + (this.unconfirmed.get(sku) ?? 0)) return false;
    }
    return true;
  }

  private async send<T>(call: () => Promise<ShopResponse<T>>): Promise<ShopResponse<T> | undefined> {
    const started = performance.now();
    try {
      const answer = await call();
      this.tally.record(answer.status, performance.now() - started, answer.servedBy);
      if (answer.status < 500 && answer.servedBy) this.lastServedBy = answer.servedBy;
      return answer;
    } catch (error) {
      this.tally.record(undefined, performance.now() - started, null);
      if (error instanceof AnswerCutError) this.tally.cut += 1;
      return undefined;
    }
  }
}

/** Shoppers browse in the background until stopped: requests keep flowing while a fault is injected. */
export function keepBrowsing(shoppers: readonly Shopper[], pauseMs = 50): { stop(): Promise<void> } {
  let running = true;
  const loops = shoppers.map(async (shopper) => {
    while (running) {
      await shopper.browse();
      // pacing, not waiting for something: about 20 requests a second per shopper
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** The instance most shoppers were last served by (where the most carts live in memory mode). */
export function busiestInstance(shoppers: readonly Shopper[]): string | undefined {
  const counts = new Map<string, number>();
  for (const shopper of shoppers)
    if (shopper.lastServedBy) counts.set(shopper.lastServedBy, (counts.get(shopper.lastServedBy) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
