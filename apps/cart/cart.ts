// The cart itself: what a session stores (sku, qty, note), the rules for changing it, and the priced view clients see.
import { z } from 'zod';
import { catalogItems, findItem, toPrice } from './catalog.ts';
import { AppError } from './errors.ts';

/** The most of one item a cart line may hold. */
export const MAX_QTY = 99;
/** The longest gift note, in characters. */
export const MAX_NOTE_LENGTH = 200;

// Control characters in a note would only serve to break logs or pages.
const note = z
  .string()
  .max(MAX_NOTE_LENGTH, `a note has at most ${MAX_NOTE_LENGTH} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern exists to refuse control characters
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'a note may not contain control characters');

/** What a session stores for one line: never a price, which always comes from the catalog. */
export const storedLineSchema = z.strictObject({
  sku: z.string().min(1).max(64),
  qty: z.number().int().min(1).max(MAX_QTY),
  note: note.optional(),
});

/** One stored cart line. */
export type CartLine = z.infer<typeof storedLineSchema>;

/** The body of `POST /api/cart/items`. */
export const addItemSchema = z.strictObject({
  sku: z.string().min(1).max(64),
  qty: z.number().int().min(1).max(MAX_QTY).default(1),
  note: note.optional(),
});

/** A validated request to add to the cart. */
export type AddItem = z.infer<typeof addItemSchema>;

/** A line as clients see it. */
export interface CartViewLine {
  sku: string;
  name: string;
  qty: number;
  unitPrice: number;
  note?: string;
}

/** `GET /api/cart` and every cart-changing answer. */
export interface CartView {
  instance: string;
  mode: string;
  items: CartViewLine[];
  count: number;
  total: number;
}

/**
 * Keeps only the stored lines that are still valid and still sold; whatever a store returns
 * (an old deploy's format, a hand-edited Redis key) cannot break the cart.
 */
export function sanitizeLines(raw: unknown): CartLine[] {
  if (!Array.isArray(raw)) return [];
  const lines: CartLine[] = [];
  const seen = new Set<string>();
  for (const candidate of raw) {
    const parsed = storedLineSchema.safeParse(candidate);
    if (!parsed.success || !findItem(parsed.data.sku) || seen.has(parsed.data.sku)) continue;
    seen.add(parsed.data.sku);
    lines.push(parsed.data);
  }
  return lines;
}

/** Adds `qty` to the line of `sku` (creating it) and replaces its note when one is given. */
export function addToCart(lines: readonly CartLine[], add: AddItem): CartLine[] {
  if (!findItem(add.sku)) throw new AppError('unknown_sku', `No catalog item has the sku "${add.sku}".`);
  const existing = lines.find((line) => line.sku === add.sku);
  const qty = (existing?.qty ?? 0) + add.qty;
  if (qty > MAX_QTY) {
    throw new AppError('quantity_limit', `A cart line holds at most ${MAX_QTY}; this one would hold ${qty}.`);
  }
  const updated: CartLine = { sku: add.sku, qty };
  const lineNote = add.note ?? existing?.note;
  if (lineNote) updated.note = lineNote;
  return existing ? lines.map((line) => (line.sku === add.sku ? updated : line)) : [...lines, updated];
}

/** Removes the line of `sku`; a sku that is not in the cart is a 404. */
export function removeFromCart(lines: readonly CartLine[], sku: string): CartLine[] {
  if (!lines.some((line) => line.sku === sku)) {
    throw new AppError('item_not_in_cart', `The cart has no line with the sku "${sku}".`);
  }
  return lines.filter((line) => line.sku !== sku);
}

/** Prices the lines from the catalog. */
export function viewCart(lines: readonly CartLine[], instance: string, mode: string): CartView {
  let count = 0;
  let totalCents = 0;
  const items: CartViewLine[] = [];
  for (const line of lines) {
    const item = findItem(line.sku);
    if (!item) continue;
    count += line.qty;
    totalCents += line.qty * item.unitPriceCents;
    const view: CartViewLine = {
      sku: line.sku,
      name: item.name,
      qty: line.qty,
      unitPrice: toPrice(item.unitPriceCents),
    };
    if (line.note) view.note = line.note;
    items.push(view);
  }
  return { instance, mode, items, count, total: toPrice(totalCents) };
}

/** The catalog as `GET /api/catalog` shows it. */
export function viewCatalog(): { items: { sku: string; name: string; unitPrice: number }[] } {
  return {
    items: catalogItems().map((item) => ({ sku: item.sku, name: item.name, unitPrice: toPrice(item.unitPriceCents) })),
  };
}
