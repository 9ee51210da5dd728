// Unit tests of the consistent hash ring: stable placement, an even spread, about 1/N moved on a change, and skipping.
import { afterEach, describe, expect, it } from 'vitest';
import type { Pool } from '../../proxy/pool/pool.ts';
import type { Target } from '../../proxy/pool/target.ts';
import { hash32 } from '../../proxy/stickiness/hash.ts';
import { HashRing } from '../../proxy/stickiness/hash-ring.ts';
import { makePool } from './support/pools.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

function targets(ids: readonly string[]): Target[] {
  const pool = makePool('ring', ids);
  pools.push(pool);
  return [...pool.targets];
}

const keys = Array.from({ length: 20_000 }, (_, index) => hash32(`client-${index}`));
const owners = (ring: HashRing) => keys.map((key) => ring.lookup(key)?.id);

describe('HashRing', () => {
  it('places every key on a target, the same one every time, spread evenly enough', () => {
    const ring = new HashRing(targets(['a', 'b', 'c']));
    const first = owners(ring);
    expect(owners(new HashRing(targets(['a', 'b', 'c'])))).toEqual(first);
    for (const id of ['a', 'b', 'c']) {
      const share = first.filter((owner) => owner === id).length / keys.length;
      expect(share, id).toBeGreaterThan(0.25);
      expect(share, id).toBeLessThan(0.42);
    }
  });

  it('moves only the keys of the added target when one of four joins, about a quarter', () => {
    const before = owners(new HashRing(targets(['a', 'b', 'c'])));
    const after = owners(new HashRing(targets(['a', 'b', 'c', 'd'])));
    const moved = before.filter((owner, index) => after[index] !== owner);
    expect(moved.length / keys.length).toBeGreaterThan(0.15);
    expect(moved.length / keys.length).toBeLessThan(0.35);
    // a key that moves, moves to the newcomer: nobody else's clients are shuffled
    expect(after.filter((owner, index) => owner !== before[index]).every((owner) => owner === 'd')).toBe(true);
  });

  it('skips targets the caller refuses, clockwise; undefined when it takes none or the ring is empty', () => {
    const ring = new HashRing(targets(['a', 'b', 'c']));
    const key = keys[0] as number;
    const first = ring.lookup(key)?.id;
    const next = ring.lookup(key, (target) => target.id !== first)?.id;
    expect(next).toBeDefined();
    expect(next).not.toBe(first);
    expect(ring.lookup(key, () => false)).toBeUndefined();
    expect(new HashRing([]).lookup(key)).toBeUndefined();
  });
});
