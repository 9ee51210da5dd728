// Unit tests of the rules: longest path prefix wins, and only whole path segments match.
import { afterEach, describe, expect, it } from 'vitest';
import type { Pool } from '../../proxy/pool/pool.ts';
import { RouteTable } from '../../proxy/routing/route-table.ts';
import { makePool } from './support/pools.ts';

const pools: Pool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

function table(paths: Record<string, string>): { routes: RouteTable; pool: (name: string) => Pool } {
  const byName = new Map<string, Pool>();
  for (const name of new Set(Object.values(paths))) {
    const pool = makePool(name, [`${name}-1`]);
    pools.push(pool);
    byName.set(name, pool);
  }
  const routes = new RouteTable(
    Object.entries(paths).map(([path, name]) => ({ path, pool: byName.get(name) as Pool })),
  );
  return { routes, pool: (name) => byName.get(name) as Pool };
}

describe('RouteTable', () => {
  it('matches a rule path itself, below it, and with a query, but never a longer segment that starts the same', () => {
    const { routes, pool } = table({ '/redis': 'redis', '/redis-whole-session': 'lesson' });
    expect(routes.match('/redis')).toBe(pool('redis'));
    expect(routes.match('/redis/')).toBe(pool('redis'));
    expect(routes.match('/redis/api/cart?x=1')).toBe(pool('redis'));
    expect(routes.match('/redis?x=1')).toBe(pool('redis'));
    expect(routes.match('/redis-whole-session/api/cart')).toBe(pool('lesson'));
    expect(routes.match('/redisx')).toBeUndefined();
    expect(routes.match('/Redis/api/cart')).toBeUndefined();
    expect(routes.match('/')).toBeUndefined();
  });

  it('prefers the longest rule, whatever order the rules were given in', () => {
    const { routes, pool } = table({ '/shop': 'outer', '/shop/memory': 'inner' });
    expect(routes.match('/shop/memory/api/cart')).toBe(pool('inner'));
    expect(routes.match('/shop/redis/api/cart')).toBe(pool('outer'));
    expect(routes.list().map((rule) => rule.path)).toEqual(['/shop/memory', '/shop']);
  });

  it('lets a rule that ends in "/" take everything below it, and "/" take every path', () => {
    const { routes, pool } = table({ '/static/': 'files', '/': 'fallback' });
    expect(routes.match('/static/app.js')).toBe(pool('files'));
    expect(routes.match('/static')).toBe(pool('fallback'));
    expect(routes.match('/anything/else')).toBe(pool('fallback'));
  });
});
