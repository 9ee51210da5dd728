// Unit tests of source-ip stickiness: stable per address, X-Forwarded-For only from trusted proxies, and the scale-out
// remap of modulo vs consistent hashing.
import { afterEach, describe, expect, it } from 'vitest';
import type { Pool } from '../../proxy/pool/pool.ts';
import { decide } from '../../proxy/routing/decide.ts';
import { fakeRequest, makePool } from './support/pools.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

function ipPool(hash: 'modulo' | 'consistent', ids = ['a', 'b', 'c'], trusted: string[] = []): Pool {
  const pool = makePool('p', ids, { stickiness: { type: 'source-ip', hash } }, trusted);
  pools.push(pool);
  return pool;
}

const clients = Array.from(
  { length: 10_000 },
  (_, index) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
);

function placement(pool: Pool): string[] {
  return clients.map((address) => {
    const target = decide(pool, fakeRequest({}, address), 0);
    if (typeof target === 'string') throw new Error(target);
    return target.id;
  });
}

function movedShare(before: string[], after: string[]): number {
  return before.filter((id, index) => after[index] !== id).length / before.length;
}

describe('source-ip', () => {
  it('sends one address to one target and spreads many addresses evenly', () => {
    for (const hash of ['modulo', 'consistent'] as const) {
      const pool = ipPool(hash);
      const first = placement(pool);
      expect(placement(pool)).toEqual(first);
      for (const id of ['a', 'b', 'c']) {
        const share = first.filter((each) => each === id).length / first.length;
        expect(share, `${hash} share of ${id}`).toBeGreaterThan(0.25);
        expect(share, `${hash} share of ${id}`).toBeLessThan(0.42);
      }
    }
  });

  it('on scale-out from 3 to 4 targets, modulo remaps most clients and consistent about a quarter', () => {
    const modulo = ipPool('modulo');
    const consistent = ipPool('consistent');
    const moduloBefore = placement(modulo);
    const consistentBefore = placement(consistent);
    modulo.add({ id: 'd', url: 'http://127.0.0.1:40100', weight: 1 });
    consistent.add({ id: 'd', url: 'http://127.0.0.1:40100', weight: 1 });
    const moduloMoved = movedShare(moduloBefore, placement(modulo));
    const consistentMoved = movedShare(consistentBefore, placement(consistent));
    // ideal: modulo 3/4 of the clients, consistent 1/4 (only those the new target takes over)
    expect(moduloMoved).toBeGreaterThan(0.65);
    expect(consistentMoved).toBeGreaterThan(0.15);
    expect(consistentMoved).toBeLessThan(0.35);
  });

  it('when a target goes down, consistent hashing moves only its clients', () => {
    const pool = ipPool('consistent');
    const before = placement(pool);
    pool.setHealth(pool.get('b')!, 'down', 'test');
    const after = placement(pool);
    before.forEach((id, index) => {
      if (id !== 'b') expect(after[index]).toBe(id);
      else expect(after[index]).not.toBe('b');
    });
  });

  it('believes X-Forwarded-For only from a trusted proxy, and then its right-most untrusted entry', () => {
    const pool = ipPool('consistent', ['a', 'b', 'c', 'd', 'e'], ['10.0.0.2']);
    const direct = (address: string) => (decide(pool, fakeRequest({}, address), 0) as { id: string }).id;
    const via = (peer: string, header: string) =>
      (decide(pool, fakeRequest({ 'x-forwarded-for': header }, peer), 0) as { id: string }).id;
    const spoofers = Array.from({ length: 50 }, (_, index) => `198.51.100.${index}`);
    // an untrusted peer cannot pick its placement with the header
    for (const spoofed of spoofers) expect(via('192.0.2.1', spoofed)).toBe(direct('192.0.2.1'));
    // through the trusted proxy, the client behind it decides, whatever it prepends itself
    for (const client of spoofers) expect(via('::ffff:10.0.0.2', `6.6.6.6, ${client}`)).toBe(direct(client));
  });
});
