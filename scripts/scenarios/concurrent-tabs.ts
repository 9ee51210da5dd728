// Scenario `concurrent-tabs`: one shopper, several tabs, changes at the same moment; which acknowledged adds survive.

import { catalogItems } from '../../apps/cart/catalog.ts';
import { LabError } from '../../lab/errors.ts';
import { AnswerCutError, type CartBody, ShopClient, type ShopResponse } from '../shopper/shop-client.ts';
import { shopOfPool } from '../stack/topology.ts';
import type { Scenario, ScenarioLab, ScenarioOutcome } from './definition.ts';
import { RequestTally } from './shoppers.ts';

const SHOPPERS = 6;
const TABS = 4;
/** Rounds in which every tab adds `PER_TAB` lines at once. */
const BURSTS = 3;
const PER_TAB = 2;
/** Adds sent after the clear was answered; they must all be in the cart. */
const AFTER_CLEAR = 2;
/** Reads of the cart, and first adds, before the scenario gives up on a shopper (each failure counts as failed). */
const READ_ATTEMPTS = 5;
const SKUS = catalogItems().map((item) => item.sku);

/** The pools the scenario compares, each with and without the lesson's setting; a running lab has what it has. */
const POOLS = ['memory', 'memory-whole-session', 'redis', 'redis-whole-session', 'jwt'];

/** What one shopper saw. */
interface TabsResult {
  acknowledged: number;
  lost: number;
  clearedLinesBack: number;
  /** Instances that answered this shopper: more than one in a sticky pool means the session was moved. */
  servedBy: number;
}

/** One shopper's tabs: one cookie jar, requests in parallel; with `oneWriteAtATime` the client queues its changes. */
class TabbedShopper {
  private readonly tabs: ShopClient[];
  private readonly tally: RequestTally;
  private readonly oneWriteAtATime: boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private nextSku = 0;
  private readonly servedBy = new Set<string>();

  constructor(shopUrl: string, tally: RequestTally, oneWriteAtATime: boolean) {
    const jar = new Map<string, string>();
    this.tabs = Array.from({ length: TABS }, () => new ShopClient(shopUrl, { cookies: jar, timeoutMs: 5_000 }));
    this.tally = tally;
    this.oneWriteAtATime = oneWriteAtATime;
  }

  /** Fills the cart in bursts, checks it, then clears it while adds are in flight and checks nothing came back. */
  async run(): Promise<TabsResult> {
    const acknowledged = new Set<string>([await this.startSession()]);
    for (let burst = 0; burst < BURSTS; burst += 1) {
      const skus = Array.from({ length: TABS * PER_TAB }, () => this.sku());
      const answers = await Promise.all(skus.map((sku, index) => this.add(index % TABS, sku)));
      for (const [index, sku] of skus.entries()) if (answers[index]) acknowledged.add(sku);
    }
    const held = await this.lines();
    const lost = [...acknowledged].filter((sku) => !held.has(sku)).length;

    // The clear-versus-in-flight race: adds start, a clear is answered among them, more adds follow the clear.
    const racing = Array.from({ length: TABS }, (_, index) => this.add(index, this.sku()));
    const cleared = await this.write(() => (this.tabs[0] as ShopClient).clear());
    await Promise.all(racing);
    const after = Array.from({ length: AFTER_CLEAR }, () => this.sku());
    const afterAnswers = await Promise.all(after.map((sku, index) => this.add(index % TABS, sku)));
    const final = await this.lines();
    const clearedLinesBack = cleared?.status === 200 ? [...held.keys()].filter((sku) => final.has(sku)).length : 0;
    const afterLost = after.filter((sku, index) => afterAnswers[index] && !final.has(sku)).length;
    return {
      acknowledged: acknowledged.size + afterAnswers.filter(Boolean).length,
      lost: lost + afterLost,
      clearedLinesBack,
      servedBy: this.servedBy.size,
    };
  }

  /**
   * The first add, tried again until it is answered: the tabs must share one session before they write at once.
   * Tabs that all start without a session cookie each get a session of their own, and the jar keeps only the
   * last, which would count another session's acknowledged adds as lost (seen on a busy machine).
   */
  private async startSession(): Promise<string> {
    const sku = this.sku();
    for (let attempt = 1; ; attempt += 1) {
      if (await this.add(0, sku)) return sku;
      if (attempt === READ_ATTEMPTS)
        throw new LabError('scenario_failed', `the first add failed ${READ_ATTEMPTS} times`);
    }
  }

  private sku(): string {
    const sku = SKUS[this.nextSku % SKUS.length] as string;
    this.nextSku += 1;
    return sku;
  }

  /** True when the add was answered 200. */
  private async add(tab: number, sku: string): Promise<boolean> {
    const answer = await this.write(() => (this.tabs[tab % TABS] as ShopClient).add(sku, 1));
    return answer?.status === 200;
  }

  /**
   * The cart as the shop shows it; a failed read is tried again, as a shopper reloads, so it never counts as a loss.
   */
  private async lines(): Promise<Map<string, number>> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await this.send(() => (this.tabs[0] as ShopClient).getCart());
      if (answer?.status === 200) return new Map(answer.body.items.map((line) => [line.sku, line.qty]));
      if (attempt === READ_ATTEMPTS)
        throw new LabError(
          'scenario_failed',
          `the cart could not be read (${answer?.status ?? 'no answer'} ${READ_ATTEMPTS} times)`,
        );
    }
  }

  private write(call: () => Promise<ShopResponse<CartBody>>): Promise<ShopResponse<CartBody> | undefined> {
    if (!this.oneWriteAtATime) return this.send(call);
    const queued = this.queue.then(() => this.send(call));
    this.queue = queued;
    return queued;
  }

  private async send(call: () => Promise<ShopResponse<CartBody>>): Promise<ShopResponse<CartBody> | undefined> {
    const started = performance.now();
    try {
      const answer = await call();
      this.tally.record(answer.status, performance.now() - started, answer.servedBy);
      if (answer.servedBy && answer.status < 500) this.servedBy.add(answer.servedBy);
      return answer;
    } catch (error) {
      this.tally.record(undefined, performance.now() - started, null);
      if (error instanceof AnswerCutError) this.tally.cut += 1;
      return undefined;
    }
  }
}

/** How the shop behind `pool` writes cart changes, as its `/healthz` says (through the balancer). */
async function cartWritesOf(lab: ScenarioLab, pool: string): Promise<string> {
  try {
    const answer = await fetch(`${lab.shopUrl(pool)}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return ((await answer.json()) as { cartWrites?: string }).cartWrites ?? '?';
  } catch {
    return '?';
  }
}

async function tabsOnPool(
  lab: ScenarioLab,
  pool: string,
  stickiness: string,
  oneWriteAtATime = false,
): Promise<ScenarioOutcome> {
  const mode = shopOfPool(pool)?.mode ?? 'redis';
  const tally = new RequestTally();
  const results = await Promise.all(
    Array.from({ length: SHOPPERS }, () => new TabbedShopper(lab.shopUrl(pool), tally, oneWriteAtATime).run()),
  );
  const sum = (field: Exclude<keyof TabsResult, 'servedBy'>) =>
    results.reduce((total, result) => total + result[field], 0);
  const kept = results.filter((result) => result.lost === 0 && result.clearedLinesBack === 0).length;
  const writes = { acknowledged: sum('acknowledged'), lost: sum('lost'), clearedLinesBack: sum('clearedLinesBack') };
  const notes = [
    `${writes.lost} of ${writes.acknowledged} acknowledged adds lost`,
    `${writes.clearedLinesBack} cleared line(s) came back`,
  ];
  if (oneWriteAtATime) notes.unshift('the client sends one change at a time');
  const moved = results.filter((result) => result.servedBy > 1).length;
  if (mode === 'memory' && moved > 0)
    notes.push(`${moved} shopper(s) moved to another instance (a health check failed under load)`);
  if (tally.failed > 0) notes.push(`${tally.failed} request(s) failed`);
  return {
    mode,
    stickiness,
    verdict: kept === results.length ? 'kept' : 'lost',
    carts: { checked: results.length, kept, lost: results.length - kept },
    requests: { total: tally.total, failed: tally.failed, cut: tally.cut },
    notes: notes.join('; '),
    cartWrites: `${await cartWritesOf(lab, pool)}${oneWriteAtATime ? '+serial-client' : ''}`,
    writes,
  };
}

export const concurrentTabs: Scenario = {
  name: 'concurrent-tabs',
  summary:
    'tabs of one shopper add at the same moment and clear among adds: ' +
    'whole-session and token writes lose acknowledged changes',
  modes: ['memory', 'memory', 'redis', 'redis', 'jwt', 'jwt'],
  stack: { extraPools: ['memory-whole-session', 'redis-whole-session'] },
  async run(lab) {
    const labels = await lab.balancer.stickiness();
    const present = [];
    for (const pool of POOLS) if ((await lab.balancer.instances(pool)).length > 0) present.push(pool);
    const runs = present.map((pool) => tabsOnPool(lab, pool, labels.get(pool) ?? '?'));
    if (present.includes('jwt')) runs.push(tabsOnPool(lab, 'jwt', labels.get('jwt') ?? '?', true));
    return Promise.all(runs);
  },
};
