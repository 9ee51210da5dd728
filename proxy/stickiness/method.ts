// The one interface every stickiness method implements, and the reasons a decision may not follow stickiness.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { Target } from '../pool/target.ts';
import type { BoundSession } from './session-table.ts';

/**
 * Why a request carried no usable binding: `new` (none), `expired`, `invalid` (forged or malformed), `unknown` (an app
 * cookie the proxy never saw or forgot), `target-gone` (names a target no longer in the pool).
 */
export type StickyMiss = 'new' | 'expired' | 'invalid' | 'unknown' | 'target-gone';

/** Every reason shown in `X-Upstream-Reason` and counted as a non-sticky decision. */
export type NonStickyReason = StickyMiss | 'target-down' | 'draining';

/** What a stickiness method reads from a request and the slots it may fill for the answer. */
export interface StickyRequest {
  readonly headers: IncomingHttpHeaders;
  readonly socket: { readonly remoteAddress?: string | undefined };
  /** The session this request belongs to, found by `find` and completed by `bind`. */
  session: BoundSession | undefined;
  /** The cookie value that named `session` (lb-cookie), so `bind` resends the cookie only when it differs. */
  presentedCookie: string | undefined;
  /** The client's hash for methods that hash (source-ip), kept between `find` and `choose`. */
  affinityHash: number;
}

/** The pool as a stickiness method sees it. */
export interface StickyPool {
  readonly name: string;
  /** Every target of the pool in declaration order, whatever its state; a new array after each change. */
  readonly targets: readonly Target[];
  get(id: string): Target | undefined;
}

/** What every method gets when a pool creates it. */
export interface StickinessContext {
  pool: StickyPool;
  /** The HMAC key for the proxy's own cookie. */
  secret: string;
  /** The cookie path used when the config names none: the path of the rule that leads to the pool. */
  defaultCookiePath: string;
  /** Addresses whose `X-Forwarded-For` is believed. */
  trustedProxies: ReadonlySet<string>;
}

/** One way of keeping a client on the same target. */
export interface StickinessMethod {
  /** The target the request is bound to, why it is bound to none, or undefined for a method that never binds. */
  find(req: StickyRequest, now: number): Target | StickyMiss | undefined;
  /** Chooses the target for a new binding itself (hashing methods); otherwise the pool's algorithm does. */
  choose?(req: StickyRequest, candidates: readonly Target[]): Target;
  /** Records the binding to `target` and adds to the answer what keeps the client on it (a cookie). */
  bind?(req: StickyRequest, target: Target, answer: IncomingHttpHeaders | OutgoingHttpHeaders, now: number): void;
  /** Learns from the target's answer, e.g. the session cookie the application set. */
  learn?(req: StickyRequest, target: Target, answer: IncomingHttpHeaders, now: number): void;
  /** How many live sessions are bound to each target id; undefined when the method cannot know. */
  boundSessions(now: number): Map<string, number> | undefined;
}

/** A registered method: its name, its options schema (a strict object with a literal `type`) and a factory. */
export interface StickinessKind<Schema extends z.ZodType> {
  /** The `type` of its options. */
  readonly name: string;
  readonly options: Schema;
  create(options: z.output<Schema>, context: StickinessContext): StickinessMethod;
  /**
   * The options as the admin API shows them, so they can be sent back unchanged (durations as text). Default: as
   * parsed.
   */
  view?(options: z.output<Schema>): object;
  /** How the setting reads in one line of the status page and the console. Default: the name. */
  label?(options: z.output<Schema>): string;
}
