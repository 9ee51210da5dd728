// Unit tests of the bounded session table: expiry, a size that never grows past its bound, counts per target.
import { describe, expect, it } from 'vitest';
import { SessionTable } from '../../proxy/stickiness/session-table.ts';

describe('SessionTable', () => {
  it('remembers a session and replaces it in place of the old one', () => {
    const table = new SessionTable(10);
    table.set('s1', 'a', 1_000, 'v1', 0);
    table.set('s1', 'b', 2_000, 'v2', 10);
    expect(table.size).toBe(1);
    expect(table.get('s1')).toEqual({ key: 's1', targetId: 'b', expiresAt: 2_000, value: 'v2', issuedAt: 10 });
    table.delete('s1');
    expect(table.get('s1')).toBeUndefined();
  });

  it('never holds more than its bound: the oldest inserted entry makes room', () => {
    const table = new SessionTable(3);
    for (const key of ['s1', 's2', 's3', 's4', 's5']) table.set(key, 'a', 10_000, key, 0);
    expect(table.size).toBe(3);
    expect(table.get('s1')).toBeUndefined();
    expect(table.get('s2')).toBeUndefined();
    expect(table.get('s5')?.targetId).toBe('a');
  });

  it('keeps an expired entry readable until a sweep, and counts only live sessions per target', () => {
    const table = new SessionTable(100);
    table.set('old', 'a', 100, 'x', 0);
    table.set('live-1', 'a', 10_000, 'y', 0);
    table.set('live-2', 'b', 10_000, 'z', 0);
    // callers tell an expired session from an unknown one
    expect(table.get('old')?.expiresAt).toBe(100);
    expect(table.countByTarget(500)).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
    );
    expect(table.get('old')).toBeUndefined();
    expect(table.size).toBe(2);
  });

  it('sweeps expired entries on its own as inserts go by, so a busy table does not fill with the dead', () => {
    const table = new SessionTable(100_000);
    for (let index = 0; index < 5_000; index += 1) table.set(`gone-${index}`, 'a', 1, 'v', 0);
    for (let index = 0; index < 5_000; index += 1) table.set(`live-${index}`, 'a', 1_000_000, 'v', 10);
    expect(table.size).toBeLessThan(10_000);
  });
});
