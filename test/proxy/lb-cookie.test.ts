// Unit tests of lb-cookie stickiness: binding, sliding refresh, and forged, expired, foreign and gone-target cookies.
import type { OutgoingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pool } from '../../proxy/pool/pool.ts';
import { cookieFrom, fakeRequest, makePool } from './support/pools.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

function stickyPool(settings: Record<string, unknown> = {}): Pool {
  const pool = makePool('memory', ['m1', 'm2', 'm3'], {
    stickiness: { type: 'lb-cookie', duration: '1h', ...settings },
  });
  pools.push(pool);
  return pool;
}

/** Binds a fresh client to `targetId` at time `now` and returns its Cookie header. */
function bindTo(pool: Pool, targetId: string, now = 1_000_000): string {
  const answer: OutgoingHttpHeaders = {};
  const req = fakeRequest();
  expect(pool.stickiness.find(req, now)).toBe('new');
  pool.stickiness.bind!(req, pool.get(targetId)!, answer, now);
  return cookieFrom(answer);
}

describe('lb-cookie', () => {
  it('sets a signed cookie with safe attributes and keeps shared caches from storing it', () => {
    const pool = stickyPool();
    const answer: OutgoingHttpHeaders = { 'set-cookie': ['app=1'] };
    const req = fakeRequest();
    pool.stickiness.find(req, 0);
    pool.stickiness.bind!(req, pool.get('m2')!, answer, 0);
    const lines = answer['set-cookie'] as string[];
    expect(lines[0]).toBe('app=1');
    expect(lines[1]).toMatch(/^LABLB=[\w-]+\.[\w-]+\.[\w-]+; Path=\/memory; Max-Age=3600; SameSite=Lax; HttpOnly$/);
    // the target's id is not a field of its own (a random signature may well contain "m2" somewhere)
    expect(lines[1]?.split(/[=.;]\s*/)).not.toContain('m2');
    expect(answer['cache-control']).toBe('no-cache="Set-Cookie"');
  });

  it('sends the cookie only when it is issued, re-signed, or the client presented another value', () => {
    const pool = stickyPool();
    const start = 1_000_000;
    const first = bindTo(pool, 'm1', start);
    /** One request presenting `cookie` at `now`, answered by m1: the answer's headers. */
    const answer = (cookie: string, now: number) => {
      const req = fakeRequest({ cookie });
      expect(pool.stickiness.find(req, now)).toBe(pool.get('m1'));
      const headers: OutgoingHttpHeaders = {};
      pool.stickiness.bind!(req, pool.get('m1')!, headers, now);
      return headers;
    };
    // within a second of the last signing the client already holds the current value: nothing to say
    expect(answer(first, start + 400)).toEqual({});
    // re-signed once a second (a tenth of an hour is longer), with a new expiry the browser's Max-Age follows
    const resigned = answer(first, start + 1_200);
    const second = cookieFrom(resigned);
    expect(second).not.toBe(first);
    expect(resigned['cache-control']).toBe('no-cache="Set-Cookie"');
    expect(answer(second, start + 1_500)).toEqual({});
    // a client still presenting the older value (a request sent before the answer arrived) is told the current one
    expect(cookieFrom(answer(first, start + 1_600))).toBe(second);
  });

  it('routes a returning client to its target, also after the proxy forgot the session', () => {
    const pool = stickyPool();
    const cookie = bindTo(pool, 'm3');
    expect(pool.stickiness.find(fakeRequest({ cookie: `a=b; ${cookie}` }), 1_000_500)).toBe(pool.get('m3'));
    const restarted = stickyPool();
    expect(restarted.stickiness.find(fakeRequest({ cookie }), 1_000_500)).toBe(restarted.get('m3'));
  });

  it('ignores a forged cookie: another target id under the old signature, or a changed signature', () => {
    const pool = stickyPool();
    const cookie = bindTo(pool, 'm1');
    const [name, value] = cookie.split('=') as [string, string];
    const [session, payload, signature] = value.split('.') as [string, string, string];
    const decoded = Buffer.from(payload, 'base64url').toString();
    const otherTarget = Buffer.from(decoded.replace('m1', 'm2')).toString('base64url');
    const forgedTarget = `${name}=${session}.${otherTarget}.${signature}`;
    const forgedSignature = `${name}=${session}.${payload}.${signature.slice(0, -2)}AA`;
    const fresh = stickyPool();
    expect(fresh.stickiness.find(fakeRequest({ cookie: forgedTarget }), 1_000_500)).toBe('invalid');
    expect(fresh.stickiness.find(fakeRequest({ cookie: forgedSignature }), 1_000_500)).toBe('invalid');
    expect(pool.stickiness.find(fakeRequest({ cookie: forgedTarget }), 1_000_500)).toBe('invalid');
  });

  it('accepts only the exact signature it issued, not another spelling of the same bytes (found by fuzzing)', () => {
    const pool = stickyPool();
    const cookie = bindTo(pool, 'm1');
    const [session, payload, signature] = cookie.slice('LABLB='.length).split('.') as [string, string, string];
    const last = signature.at(-1) as string;
    // 32 bytes fill 42 characters and 4 bits of the 43rd; its 2 spare bits are ignored by base64url decoding.
    const sameBytes = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      .split('')
      .find(
        (other) =>
          other !== last &&
          Buffer.from(signature.slice(0, -1) + other, 'base64url').equals(Buffer.from(signature, 'base64url')),
      );
    expect(sameBytes).toBeDefined();
    const fresh = stickyPool();
    for (const variant of [
      `${signature},x`,
      `${signature}=`,
      `${signature.slice(0, 10)}!${signature.slice(10)}`,
      signature.slice(0, -1) + sameBytes,
      signature.replace(/-/g, '+').replace(/_/g, '/'),
    ]) {
      if (variant === signature) continue;
      expect(fresh.stickiness.find(fakeRequest({ cookie: `LABLB=${session}.${payload}.${variant}` }), 1_000_500)).toBe(
        'invalid',
      );
    }
    expect(fresh.stickiness.find(fakeRequest({ cookie }), 1_000_500)).toBe(fresh.get('m1'));
  });

  it('calls malformed values invalid and never throws on them', () => {
    const pool = stickyPool();
    for (const value of ['', 'x', '...', 'a.b', 'a.b.c', '%%%.%%%.%%%', 'ä.ö.ü']) {
      expect(pool.stickiness.find(fakeRequest({ cookie: `LABLB=${value}` }), 0)).toBe('invalid');
    }
  });

  it('refuses a cookie signed with another secret or for another pool', () => {
    const memory = stickyPool();
    const cookie = bindTo(memory, 'm1');
    const otherPool = makePool('other', ['m1'], { stickiness: { type: 'lb-cookie' } });
    pools.push(otherPool);
    expect(otherPool.stickiness.find(fakeRequest({ cookie }), 1_000_500)).toBe('invalid');
  });

  it('says expired once the duration has passed without an answer, and slides while answers keep coming', () => {
    const pool = stickyPool({ duration: 10 });
    const start = 1_000_000;
    let cookie = bindTo(pool, 'm1', start);
    // answers every 6 s keep it alive past the 10 s duration
    for (let now = start + 6_000; now <= start + 30_000; now += 6_000) {
      const req = fakeRequest({ cookie });
      expect(pool.stickiness.find(req, now)).toBe(pool.get('m1'));
      const answer: OutgoingHttpHeaders = {};
      pool.stickiness.bind!(req, pool.get('m1')!, answer, now);
      cookie = cookieFrom(answer);
    }
    expect(pool.stickiness.find(fakeRequest({ cookie }), start + 30_000 + 10_001)).toBe('expired');
    const fresh = stickyPool({ duration: 10 });
    expect(fresh.stickiness.find(fakeRequest({ cookie }), start + 30_000 + 10_001)).toBe('expired');
  });

  it('says target-gone for a target removed from the pool', () => {
    const pool = stickyPool();
    const cookie = bindTo(pool, 'm2');
    pool.remove(pool.get('m2')!);
    expect(pool.stickiness.find(fakeRequest({ cookie }), 1_000_500)).toBe('target-gone');
  });

  it('counts bound sessions per target', () => {
    const pool = stickyPool();
    bindTo(pool, 'm1');
    bindTo(pool, 'm1');
    bindTo(pool, 'm2');
    expect(Object.fromEntries(pool.stickiness.boundSessions(1_000_001)!)).toEqual({ m1: 2, m2: 1 });
  });

  it('uses the configured cookie attributes', () => {
    const pool = stickyPool({
      cookie: { name: 'SRV', path: '/', maxAge: '10m', secure: true, sameSite: 'None', httpOnly: false },
    });
    const answer: OutgoingHttpHeaders = {};
    pool.stickiness.bind!(fakeRequest(), pool.get('m1')!, answer, 0);
    expect((answer['set-cookie'] as string[])[0]).toMatch(/^SRV=\S+; Path=\/; Max-Age=600; SameSite=None; Secure$/);
  });
});
