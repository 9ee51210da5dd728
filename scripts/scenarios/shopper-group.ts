// A group of shoppers on one pool: fills carts together, then checks every cart and turns what it saw into a result
// row.
import type { SessionMode } from '../process/cart-instance.ts';
import type { ScenarioOutcome } from './definition.ts';
import { RequestTally, Shopper, type ShopperOptions } from './shoppers.ts';

/** Shoppers of one pool and the tally of their requests. */
export class ShopperGroup {
  readonly mode: SessionMode;
  readonly shoppers: Shopper[];
  readonly tally = new RequestTally();

  constructor(
    mode: SessionMode,
    shopUrl: string,
    count: number,
    options: (index: number) => ShopperOptions = () => ({}),
  ) {
    this.mode = mode;
    this.shoppers = Array.from(
      { length: count },
      (_, index) => new Shopper(`${mode}-shopper-${index + 1}`, shopUrl, this.tally, options(index)),
    );
  }

  /** Every shopper adds `lines` items (shoppers in parallel, each one's requests in order). */
  async fill(lines: number): Promise<void> {
    await Promise.all(this.shoppers.map((shopper, index) => shopper.fill(lines, index)));
  }

  /** Checks every cart against what its shopper put in. */
  async outcome(stickiness: string, notes: string[] = []): Promise<ScenarioOutcome> {
    const intact = await Promise.all(this.shoppers.map((shopper) => shopper.cartIsIntact()));
    const kept = intact.filter(Boolean).length;
    const empty = this.shoppers.filter((shopper) => shopper.expected.size === 0).length;
    if (empty > 0) notes.push(`${empty} shopper(s) could not add anything`);
    if (this.tally.cut > 0) notes.push(`${this.tally.cut} answer(s) cut off mid-write by the fault`);
    return {
      mode: this.mode,
      stickiness,
      verdict: kept === intact.length ? 'kept' : 'lost',
      carts: { checked: intact.length, kept, lost: intact.length - kept },
      requests: { total: this.tally.total, failed: this.tally.failed, cut: this.tally.cut },
      notes: notes.join('; '),
    };
  }

  /** "memory-1 40%, memory-2 31%, …": who served this group's answers. */
  spread(): string {
    const total = [...this.tally.servedBy.values()].reduce((sum, count) => sum + count, 0) || 1;
    return [...this.tally.servedBy]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([id, count]) => `${id} ${Math.round((100 * count) / total)}%`)
      .join(', ');
  }
}
