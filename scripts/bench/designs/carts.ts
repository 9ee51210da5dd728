// Carts prepared before the designs bench measures: one session per load connection, each holding N lines.
import { catalogItems } from '../../../apps/cart/catalog.ts';
import { ShopClient } from '../../shopper/shop-client.ts';
import type { DesignShop } from './shops.ts';

/** The note every line carries in the "with notes" rows: the longest the shop accepts. */
export const LONG_NOTE = 'n'.repeat(200);

const skus = catalogItems().map((item) => item.sku);

/** The sku the write mix adds and removes; never one of the prepared lines. */
export const WRITE_SKU = skus.at(-1) as string;

/** The largest cart the bench prepares: every sku but the write mix's own. */
export const MAX_LINES = skus.length - 1;

/** One prepared cart per connection, or why the design cannot hold such a cart. */
export type PreparedCarts = { cookies: Map<string, string>[] } | { refused: string };

/**
 * Fills `connections` carts of `lines` lines (with a 200-character note on each line, or none) in `shop`, each
 * in a session of its own; a jwt cart that outgrows the 4 KB cookie is reported, with where the wall stood.
 */
export async function prepareCarts(
  shop: DesignShop,
  connections: number,
  lines: number,
  notes: boolean,
): Promise<PreparedCarts> {
  const shoppers = Array.from({ length: connections }, () => new ShopClient(shop.instance.url));
  const refusals = await Promise.all(
    shoppers.map(async (shopper) => {
      for (const [index, sku] of skus.slice(0, lines).entries()) {
        const answer = await shopper.add(sku, 1, notes ? LONG_NOTE : undefined);
        if (answer.status === 413)
          return `over the 4 KB cookie: a token holds ${index} lines${notes ? ' with 200-character notes' : ''}`;
        if (answer.status !== 200)
          throw new Error(`${shop.label}: ${answer.status} while preparing a cart of ${lines} lines`);
      }
      return undefined;
    }),
  );
  const refused = refusals.find((reason) => reason !== undefined);
  return refused ? { refused } : { cookies: shoppers.map((shopper) => new Map(shopper.cookies)) };
}
