// The designs bench's measurement: every design under the same work, interleaved round by round, CPU from /proc.
import type autocannon from 'autocannon';
import { type LoadFigures, runLoad } from '../load.ts';
import { cpuMicros } from '../process-stats.ts';
import { median } from '../throughput.ts';
import { LONG_NOTE, type PreparedCarts, prepareCarts, WRITE_SKU } from './carts.ts';
import { type DesignLab, type DesignShop, redisCommandCount } from './shops.ts';

/** `read`: GET /api/cart and GET /api/catalog in turn; `write`: an add of one line and its removal, in turn. */
export type Workload = 'read' | 'write';

/** How much to measure. */
export interface DesignsPlan {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  sizes: number[];
  notes: boolean[];
}

/** Which design, under which work, at which cart. */
export interface DesignCell {
  design: string;
  mode: string;
  cartWrites: string;
  workload: Workload;
  lines: number;
  notes: boolean;
}

/** What one design did under one work at one cart size. */
export interface MeasuredDesign extends DesignCell {
  /** Medians over the rounds. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU time per answered request, summed over the rounds: the shop process, and redis-server (redis designs). */
  shopCpuUsPerRequest: number;
  redisCpuUsPerRequest: number | null;
  /** Redis commands per request, from `INFO commandstats` (redis designs). */
  redisCommandsPerRequest: number | null;
  /** Bytes of the `Cookie` header sent and of `Set-Cookie` values received, per request. */
  cookieBytesPerRequest: number;
  setCookieBytesPerRequest: number;
  roundsRps: number[];
}

/** A design that cannot hold the cart of a cell (jwt past 4 KB). */
export interface RefusedDesign extends DesignCell {
  refused: string;
}

/** One row of the designs table. */
export type DesignRow = MeasuredDesign | RefusedDesign;

function requestsFor(shop: DesignShop, workload: Workload, notes: boolean): autocannon.Request[] {
  const base = new URL(shop.instance.url).pathname;
  if (workload === 'read') {
    return [
      { method: 'GET', path: `${base}/api/cart` },
      { method: 'GET', path: `${base}/api/catalog` },
    ];
  }
  const body = JSON.stringify(notes ? { sku: WRITE_SKU, qty: 1, note: LONG_NOTE } : { sku: WRITE_SKU, qty: 1 });
  // add first: a run cut between the two leaves one line more, which the next add and removal take in their stride
  return [
    { method: 'POST', path: `${base}/api/cart/items`, headers: { 'content-type': 'application/json' }, body },
    { method: 'DELETE', path: `${base}/api/cart/items/${WRITE_SKU}` },
  ];
}

interface Sample {
  load: LoadFigures;
  shopCpuUs: number;
  redisCpuUs: number;
  redisCommands: number;
}

async function sample(
  shop: DesignShop,
  cookies: Map<string, string>[],
  workload: Workload,
  notes: boolean,
  seconds: number,
  connections: number,
): Promise<Sample> {
  const shopPid = shop.instance.child.pid as number;
  const store = shop.store;
  const commandsBefore = store ? await redisCommandCount(store.client) : 0;
  const shopBefore = cpuMicros([shopPid]);
  const redisBefore = store ? cpuMicros([...store.pids]) : 0;
  const load = await runLoad({
    url: shop.instance.origin,
    connections,
    seconds,
    requests: requestsFor(shop, workload, notes),
    startingCookies: (index) => cookies[index % cookies.length] as Map<string, string>,
  });
  const shopCpuUs = cpuMicros([shopPid]) - shopBefore;
  const redisCpuUs = store ? cpuMicros([...store.pids]) - redisBefore : 0;
  // the INFO call itself counts once
  const redisCommands = store ? (await redisCommandCount(store.client)) - commandsBefore - 1 : 0;
  return { load, shopCpuUs, redisCpuUs, redisCommands };
}

/** Runs every cell (work × cart size × notes) for every design, the designs interleaved within each round. */
export async function measureDesigns(
  lab: DesignLab,
  plan: DesignsPlan,
  progress: (message: string) => void,
): Promise<DesignRow[]> {
  const cells = (['read', 'write'] as const).flatMap((workload) =>
    plan.sizes.flatMap((lines) => plan.notes.map((notes) => ({ workload, lines, notes }))),
  );
  const prepared = new Map<string, PreparedCarts>();
  const key = (shop: DesignShop, lines: number, notes: boolean) => `${shop.label}|${lines}|${notes}`;
  for (const shop of lab.shops) {
    for (const lines of plan.sizes) {
      for (const notes of plan.notes)
        prepared.set(key(shop, lines, notes), await prepareCarts(shop, plan.connections, lines, notes));
    }
  }

  progress(`warming up ${lab.shops.length} designs for ${plan.warmupSeconds} s each`);
  for (const shop of lab.shops) {
    const carts = prepared.get(key(shop, plan.sizes[0] as number, false));
    if (carts && 'cookies' in carts)
      await sample(shop, carts.cookies, 'read', false, plan.warmupSeconds, plan.connections);
  }

  const samples = new Map<string, Sample[]>();
  for (let round = 1; round <= plan.rounds; round += 1) {
    for (const cell of cells) {
      progress(
        `round ${round}/${plan.rounds}: ${cell.workload}, ${cell.lines} line(s)${cell.notes ? ' with notes' : ''}`,
      );
      for (const shop of lab.shops) {
        const carts = prepared.get(key(shop, cell.lines, cell.notes));
        if (!carts || !('cookies' in carts)) continue;
        const cellKey = `${shop.label}|${cell.workload}|${cell.lines}|${cell.notes}`;
        const list = samples.get(cellKey) ?? [];
        list.push(await sample(shop, carts.cookies, cell.workload, cell.notes, plan.seconds, plan.connections));
        samples.set(cellKey, list);
      }
    }
  }

  return cells.flatMap((cell) =>
    lab.shops.map((shop): DesignRow => {
      const identity = { design: shop.label, mode: shop.mode, cartWrites: shop.cartWrites, ...cell };
      const carts = prepared.get(key(shop, cell.lines, cell.notes));
      if (carts && 'refused' in carts) return { ...identity, refused: carts.refused };
      return {
        ...identity,
        ...summarise(
          samples.get(`${shop.label}|${cell.workload}|${cell.lines}|${cell.notes}`) ?? [],
          shop.store !== undefined,
        ),
      };
    }),
  );
}

function summarise(list: readonly Sample[], usesRedis: boolean): Omit<MeasuredDesign, keyof DesignCell> {
  const requests = list.reduce((sum, each) => sum + each.load.requests, 0) || 1;
  const total = (pick: (each: Sample) => number) => list.reduce((sum, each) => sum + pick(each), 0);
  const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    rps: Math.round(median(list.map((each) => each.load.rps))),
    p50Ms: median(list.map((each) => each.load.p50Ms)),
    p99Ms: median(list.map((each) => each.load.p99Ms)),
    errors: total((each) => each.load.errors),
    shopCpuUsPerRequest: round(total((each) => each.shopCpuUs) / requests),
    redisCpuUsPerRequest: usesRedis ? round(total((each) => each.redisCpuUs) / requests) : null,
    redisCommandsPerRequest: usesRedis ? round(total((each) => each.redisCommands) / requests, 2) : null,
    cookieBytesPerRequest: Math.round(total((each) => each.load.cookieBytes * each.load.requests) / requests),
    setCookieBytesPerRequest: Math.round(total((each) => each.load.setCookieBytes * each.load.requests) / requests),
    roundsRps: list.map((each) => Math.round(each.load.rps)),
  };
}
