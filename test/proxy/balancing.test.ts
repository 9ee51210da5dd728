// Unit tests of the balancing algorithms: each one's spread, and weight 0 taking no new sessions.
import { afterEach, describe, expect, it } from 'vitest';
import { createAlgorithm } from '../../proxy/balancing/registry.ts';
import type { Pool } from '../../proxy/pool/pool.ts';
import type { Target } from '../../proxy/pool/target.ts';
import { makePool } from './support/pools.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

function targets(ids: string[], settings: Record<string, unknown> = {}): readonly Target[] {
  const pool = makePool('p', ids, settings);
  pools.push(pool);
  return pool.targets;
}

function tally(picks: Target[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const target of picks) counts[target.id] = (counts[target.id] ?? 0) + 1;
  return counts;
}

describe('round-robin', () => {
  it('takes each candidate in turn', () => {
    const candidates = targets(['a', 'b', 'c']);
    const algorithm = createAlgorithm('round-robin');
    expect(Array.from({ length: 6 }, () => algorithm.pick(candidates).id)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('keeps going when the candidate list shrinks', () => {
    const all = targets(['a', 'b', 'c']);
    const algorithm = createAlgorithm('round-robin');
    algorithm.pick(all);
    algorithm.pick(all);
    const fewer = all.slice(0, 2);
    expect(Array.from({ length: 4 }, () => algorithm.pick(fewer).id)).toEqual(['a', 'b', 'a', 'b']);
  });
});

describe('least-outstanding', () => {
  it('picks the candidate with the fewest requests in flight', () => {
    const candidates = targets(['a', 'b', 'c']);
    candidates[0]!.inflight = 5;
    candidates[1]!.inflight = 1;
    candidates[2]!.inflight = 3;
    const algorithm = createAlgorithm('least-outstanding');
    for (let i = 0; i < 5; i++) expect(algorithm.pick(candidates).id).toBe('b');
  });

  it('spreads ties instead of always taking the first', () => {
    const candidates = targets(['a', 'b', 'c']);
    const algorithm = createAlgorithm('least-outstanding');
    expect(tally(Array.from({ length: 30 }, () => algorithm.pick(candidates)))).toEqual({ a: 10, b: 10, c: 10 });
  });
});

describe('random', () => {
  it('only picks candidates and reaches each of them', () => {
    const candidates = targets(['a', 'b', 'c']);
    const algorithm = createAlgorithm('random');
    const counts = tally(Array.from({ length: 3_000 }, () => algorithm.pick(candidates)));
    expect(Object.keys(counts).sort()).toEqual(['a', 'b', 'c']);
    for (const count of Object.values(counts)) expect(count).toBeGreaterThan(700);
  });
});

describe('weighted-round-robin', () => {
  it('follows the weights exactly over a cycle, without bursts', () => {
    const pool = makePool('p', ['a', 'b'], { algorithm: 'weighted-round-robin' });
    pools.push(pool);
    pool.reconfigure({ weights: { a: 3, b: 1 } });
    const picks = Array.from({ length: 8 }, () => pool.algorithm.pick(pool.eligible()).id);
    expect(tally(picks.map((id) => pool.get(id)!))).toEqual({ a: 6, b: 2 });
    expect(picks.join('')).not.toContain('aaaa');
  });

  it('gives a weight-0 target no new sessions', () => {
    const pool = makePool('p', ['a', 'b', 'c'], { algorithm: 'weighted-round-robin' });
    pools.push(pool);
    pool.reconfigure({ weights: { b: 0 } });
    expect(pool.eligible().map((target) => target.id)).toEqual(['a', 'c']);
    const picks = Array.from({ length: 20 }, () => pool.algorithm.pick(pool.eligible()).id);
    expect(picks).not.toContain('b');
  });
});
