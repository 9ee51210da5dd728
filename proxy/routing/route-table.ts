// Rules: which pool a path belongs to, by longest matching path prefix (like ALB listener rules or nginx locations).
import type { Pool } from '../pool/pool.ts';

/** A path prefix and the pool it leads to. */
export interface Rule {
  path: string;
  pool: Pool;
}

/** The rules of the public listener. */
export class RouteTable {
  private readonly rules: Rule[];

  constructor(rules: readonly Rule[]) {
    this.rules = [...rules].sort((a, b) => b.path.length - a.path.length);
  }

  /** The pool for `url` (path and query): the longest rule that is the path itself or a segment prefix of it. */
  match(url: string): Pool | undefined {
    for (const rule of this.rules) {
      if (!url.startsWith(rule.path)) continue;
      const next = url.charCodeAt(rule.path.length);
      // end, "/", "?" or a rule path that itself ends in "/"
      if (Number.isNaN(next) || next === 0x2f || next === 0x3f || rule.path.endsWith('/')) return rule.pool;
    }
    return undefined;
  }

  /** The rules, longest path first. */
  list(): readonly Rule[] {
    return this.rules;
  }
}
