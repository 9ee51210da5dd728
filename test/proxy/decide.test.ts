// Unit tests of the routing decision: failover re-stick vs strict, drain with deregistration delay, weight 0, empty
// pools.

import type { OutgoingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pool } from '../../proxy/pool/pool.ts';
import { decide } from '../../proxy/routing/decide.ts';
import { cookieFrom, fakeRequest, makePool } from './support/pools.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

function stickyPool(settings: Record<string, unknown> = {}): Pool {
  const pool = makePool('memory', ['m1', 'm2', 'm3'], { stickiness: { type: 'lb-cookie' }, ...settings });
  pools.push(pool);
  return pool;
}

function clientOf(pool: Pool, targetId: string): string {
  const answer: OutgoingHttpHeaders = {};
  const req = fakeRequest();
  pool.stickiness.find(req, Date.now());
  pool.stickiness.bind!(req, pool.get(targetId)!, answer, Date.now());
  return cookieFrom(answer);
}

function route(pool: Pool, cookie?: string) {
  const req = fakeRequest(cookie ? { cookie } : {});
  const result = decide(pool, req, Date.now());
  return { target: typeof result === 'string' ? result : result.id, reason: req.reason };
}

describe('routing decision', () => {
  it('follows a valid binding without a reason, and says new for a client without one', () => {
    const pool = stickyPool();
    expect(route(pool, clientOf(pool, 'm2'))).toEqual({ target: 'm2', reason: undefined });
    expect(route(pool).reason).toBe('new');
  });

  it('re-sticks to another target when the bound one is down (target-down)', () => {
    const pool = stickyPool();
    const cookie = clientOf(pool, 'm2');
    pool.setHealth(pool.get('m2')!, 'down', 'test');
    const decision = route(pool, cookie);
    expect(decision.reason).toBe('target-down');
    expect(['m1', 'm3']).toContain(decision.target);
  });

  it('answers sticky_target_unavailable under strict failover', () => {
    const pool = stickyPool({ failover: 'strict' });
    const cookie = clientOf(pool, 'm1');
    pool.setHealth(pool.get('m1')!, 'unhealthy', 'test');
    expect(route(pool, cookie)).toEqual({ target: 'sticky_target_unavailable', reason: 'target-down' });
  });

  it('keeps bound sessions on a draining target until the deregistration delay, new ones never', () => {
    const pool = stickyPool({ deregistrationDelay: 60 });
    const cookie = clientOf(pool, 'm1');
    pool.drain(pool.get('m1')!);
    expect(route(pool, cookie)).toEqual({ target: 'm1', reason: undefined });
    for (let i = 0; i < 10; i++) expect(route(pool).target).not.toBe('m1');
    pool.get('m1')!.drainingSince = Date.now() - 61_000;
    const after = route(pool, cookie);
    expect(after.reason).toBe('draining');
    expect(after.target).not.toBe('m1');
    pool.undrain(pool.get('m1')!);
    expect(route(pool, cookie)).toEqual({ target: 'm1', reason: undefined });
  });

  it('serves bound sessions of a weight-0 target but gives it no new ones', () => {
    const pool = stickyPool();
    const cookie = clientOf(pool, 'm3');
    pool.reconfigure({ weights: { m3: 0 } });
    expect(route(pool, cookie).target).toBe('m3');
    for (let i = 0; i < 10; i++) expect(route(pool).target).not.toBe('m3');
  });

  it('answers no_healthy_target when nothing can take the request', () => {
    const pool = stickyPool();
    for (const target of pool.targets) pool.setHealth(target, 'down', 'test');
    expect(route(pool).target).toBe('no_healthy_target');
    const empty = makePool('empty', []);
    pools.push(empty);
    expect(route(empty).target).toBe('no_healthy_target');
  });

  it('avoids targets that already failed this request', () => {
    const pool = makePool('rr', ['a', 'b']);
    pools.push(pool);
    const req = fakeRequest();
    req.failed = [pool.get('a')!];
    for (let i = 0; i < 4; i++) expect(decide(pool, req, 0)).toBe(pool.get('b'));
  });
});
