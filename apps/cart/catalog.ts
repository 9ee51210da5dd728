// The shop's catalog: a few dozen items, the only source of prices (never a client or a token).

/** One item for sale; `unitPriceCents` avoids floating-point money inside the app. */
export interface CatalogItem {
  sku: string;
  name: string;
  unitPriceCents: number;
}

const items: readonly CatalogItem[] = [
  ['tea-green', 'Green tea, 100 g', 650],
  ['tea-black', 'Black tea, 100 g', 590],
  ['tea-oolong', 'Oolong tea, 100 g', 890],
  ['tea-rooibos', 'Rooibos, 100 g', 520],
  ['coffee-beans', 'Coffee beans, 250 g', 1190],
  ['coffee-ground', 'Ground coffee, 250 g', 1090],
  ['cocoa', 'Cocoa powder, 200 g', 740],
  ['honey', 'Forest honey, 500 g', 990],
  ['jam-apricot', 'Apricot jam', 460],
  ['jam-cherry', 'Cherry jam', 480],
  ['biscuits', 'Butter biscuits', 350],
  ['shortbread', 'Shortbread', 420],
  ['chocolate-dark', 'Dark chocolate, 70%', 290],
  ['chocolate-milk', 'Milk chocolate', 250],
  ['almonds', 'Roasted almonds, 200 g', 560],
  ['hazelnuts', 'Hazelnuts, 200 g', 610],
  ['mug', 'Stoneware mug', 1450],
  ['teapot', 'Glass teapot, 1 l', 2990],
  ['kettle', 'Gooseneck kettle', 5490],
  ['grinder', 'Hand coffee grinder', 3990],
  ['filter-papers', 'Filter papers, 100', 390],
  ['dripper', 'Pour-over dripper', 1890],
  ['french-press', 'French press, 0.8 l', 2490],
  ['scale', 'Kitchen scale', 2190],
  ['tin', 'Tea tin', 890],
  ['strainer', 'Tea strainer', 690],
  ['tray', 'Serving tray', 1990],
  ['napkins', 'Linen napkins, 4', 1590],
  ['candle', 'Beeswax candle', 790],
  ['notebook', 'Tasting notebook', 990],
  ['gift-box', 'Gift box', 450],
  ['gift-card-10', 'Gift card, 10', 1000],
  ['gift-card-25', 'Gift card, 25', 2500],
  ['gift-card-50', 'Gift card, 50', 5000],
  ['syrup-vanilla', 'Vanilla syrup', 690],
  ['syrup-caramel', 'Caramel syrup', 690],
].map(([sku, name, unitPriceCents]) => ({ sku, name, unitPriceCents }) as CatalogItem);

const bySku = new Map(items.map((item) => [item.sku, item]));

/** All items, in display order. */
export function catalogItems(): readonly CatalogItem[] {
  return items;
}

/** The item with this sku, if the shop sells it. */
export function findItem(sku: string): CatalogItem | undefined {
  return bySku.get(sku);
}

/** Cents to the currency unit used in JSON (`12.5` for 1250). */
export function toPrice(cents: number): number {
  return cents / 100;
}
