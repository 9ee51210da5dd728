// What a scenario needs from the load balancer in front of the shops: the lab proxy, or HAProxy and nginx for
// comparison.

/** The balancer side of a scenario lab. */
export interface Balancer {
  /** `lab-proxy`, `haproxy` or `nginx`. */
  readonly name: string;
  /** How each pool's stickiness reads in the verdict table: `lb-cookie`, `source-ip/modulo`, `none`, … */
  stickiness(): Promise<Map<string, string>>;
  /** Changes a pool's settings; `patch` is a `PATCH /api/pools/:pool` body. */
  patchPool(pool: string, patch: Record<string, unknown>): Promise<void>;
  /** The instance ids of a pool. */
  instances(pool: string): Promise<string[]>;
  /** No new sessions for this instance (ALB deregistration, HAProxy drain). */
  drain(id: string): Promise<void>;
  /** Back into rotation. */
  undrain(id: string): Promise<void>;
  /** Resolves once the balancer sends traffic to each of `ids` again. */
  waitForHealthy(ids: readonly string[]): Promise<void>;
  /**
   * When (`performance.now()`) the balancer itself reported `id` out of service; undefined if not within `timeoutMs`.
   */
  waitUntilOut?(id: string, timeoutMs: number): Promise<number | undefined>;
  /** Gives the balancer back: a shared lab gets its settings back, a process of its own is ended. */
  release(): Promise<void>;
}

/** A label such as `source-ip/consistent` from a stickiness setting. */
export function stickinessLabel(stickiness: { type: string; hash?: string }): string {
  return stickiness.hash ? `${stickiness.type}/${stickiness.hash}` : stickiness.type;
}
