// A bounded table of sessions (key -> target) with expiry, so remembering clients cannot grow without bound.

/** One remembered session; mutated in place on refresh so the hot path allocates nothing. */
export interface BoundSession {
  readonly key: string;
  targetId: string;
  expiresAt: number;
  /** The cookie value last issued for this session (lb-cookie), or the app cookie value itself. */
  value: string;
  issuedAt: number;
}

const SWEEP_EVERY_INSERTS = 4_096;

/**
 * Sessions by key. When full, the oldest inserted entry makes room (approximately least recently
 * used: refreshing an entry does not move it, which keeps refreshes free of allocation). Expired
 * entries are swept every few thousand inserts and whenever the table is counted.
 */
export class SessionTable {
  private readonly entries = new Map<string, BoundSession>();
  private readonly maxEntries: number;
  private insertsSinceSweep = 0;

  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  /** The entry for `key`, expired or not (callers tell `expired` from `unknown`). */
  get(key: string): BoundSession | undefined {
    return this.entries.get(key);
  }

  /** Creates or replaces the entry for `key`. */
  set(key: string, targetId: string, expiresAt: number, value: string, now: number): BoundSession {
    const entry: BoundSession = { key, targetId, expiresAt, value, issuedAt: now };
    if (!this.entries.delete(key) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
    if (++this.insertsSinceSweep >= SWEEP_EVERY_INSERTS) this.sweep(now);
    return entry;
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Live sessions per target id. */
  countByTarget(now: number): Map<string, number> {
    this.sweep(now);
    const counts = new Map<string, number>();
    for (const entry of this.entries.values()) counts.set(entry.targetId, (counts.get(entry.targetId) ?? 0) + 1);
    return counts;
  }

  /** The number of entries, expired ones included until the next sweep. */
  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    this.insertsSinceSweep = 0;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
