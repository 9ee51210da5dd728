// Unit tests of app-cookie stickiness: learning the application's cookie, following it, forgetting within bounds.
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pool } from '../../proxy/pool/pool.ts';
import { fakeRequest, makePool } from './support/pools.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

function appPool(settings: Record<string, unknown> = {}): Pool {
  const pool = makePool('redis', ['r1', 'r2'], {
    stickiness: { type: 'app-cookie', cookieName: 'connect.sid', duration: 60, ...settings },
  });
  pools.push(pool);
  return pool;
}

function answerSetting(pool: Pool, targetId: string, value: string, now: number): void {
  const req = fakeRequest();
  expect(pool.stickiness.find(req, now)).toBe('new');
  const answer: IncomingHttpHeaders = { 'set-cookie': [`connect.sid=${value}; Path=/; HttpOnly`] };
  pool.stickiness.learn!(req, pool.get(targetId)!, answer, now);
}

describe('app-cookie', () => {
  it('learns the value the application sets and routes it to the same target', () => {
    const pool = appPool();
    answerSetting(pool, 'r2', 's%3Aabc', 0);
    expect(pool.stickiness.find(fakeRequest({ cookie: 'x=1; connect.sid=s%3Aabc' }), 1_000)).toBe(pool.get('r2'));
  });

  it('calls a value it never saw unknown, and one unused for longer than the duration expired', () => {
    const pool = appPool();
    expect(pool.stickiness.find(fakeRequest({ cookie: 'connect.sid=never-seen' }), 0)).toBe('unknown');
    answerSetting(pool, 'r1', 'v1', 0);
    expect(pool.stickiness.find(fakeRequest({ cookie: 'connect.sid=v1' }), 59_000)).toBe(pool.get('r1'));
    expect(pool.stickiness.find(fakeRequest({ cookie: 'connect.sid=v1' }), 59_000 + 60_001)).toBe('expired');
  });

  it('moves the value to the new target after a failover', () => {
    const pool = appPool();
    answerSetting(pool, 'r1', 'v1', 0);
    const req = fakeRequest({ cookie: 'connect.sid=v1' });
    pool.stickiness.find(req, 1);
    pool.stickiness.bind!(req, pool.get('r2')!, {}, 1);
    expect(pool.stickiness.find(fakeRequest({ cookie: 'connect.sid=v1' }), 2)).toBe(pool.get('r2'));
  });

  it('remembers at most maxSessions values', () => {
    const pool = appPool({ maxSessions: 100 });
    for (let index = 0; index < 250; index++) answerSetting(pool, 'r1', `v${index}`, 0);
    const remembered = pool.stickiness.boundSessions(1)!.get('r1');
    expect(remembered).toBe(100);
    expect(pool.stickiness.find(fakeRequest({ cookie: 'connect.sid=v0' }), 1)).toBe('unknown');
    expect(pool.stickiness.find(fakeRequest({ cookie: 'connect.sid=v249' }), 1)).toBe(pool.get('r1'));
  });
});
