// The terminal shoppers' state between commands (cookies, last serving instance), shared by `npm run shop` and `npm run
// fault`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** One shopper on one shop. */
export interface SavedShopper {
  cookies: Record<string, string>;
  /** The instance that answered the shopper's last request. */
  servedBy?: string;
}

/** `$LAB_SHOPPERS_FILE`, else ~/.stickiness-lab/shoppers.json. */
export const shoppersFile = process.env.LAB_SHOPPERS_FILE ?? join(homedir(), '.stickiness-lab', 'shoppers.json');

/** The key of a shopper: its name and the shop's URL. */
export function shopperKey(name: string, shopUrl: string): string {
  return `${name} ${shopUrl}`;
}

/** Every saved shopper by key; an unreadable file counts as none. */
export function readShoppers(): Record<string, SavedShopper> {
  try {
    return JSON.parse(readFileSync(shoppersFile, 'utf8')) as Record<string, SavedShopper>;
  } catch {
    return {};
  }
}

/** Saves every shopper. */
export function writeShoppers(shoppers: Record<string, SavedShopper>): void {
  mkdirSync(dirname(shoppersFile), { recursive: true });
  writeFileSync(shoppersFile, `${JSON.stringify(shoppers, null, 2)}\n`);
}

/** The instance that last served shopper `name` in `pool` (the most recently saved of them), if any. */
export function lastServer(pool: string, name = 'me'): string | undefined {
  const entries = Object.entries(readShoppers()).filter(
    ([key]) => key.startsWith(`${name} `) && key.endsWith(`/${pool}`),
  );
  return entries.at(-1)?.[1].servedBy;
}
