// Steps most scenarios share: shoppers per pool, background browsing around a fault, and stickiness labels.
import type { SessionMode } from '../process/cart-instance.ts';
import type { ScenarioLab, ScenarioOutcome } from './definition.ts';
import { ShopperGroup } from './shopper-group.ts';
import { busiestInstance, keepBrowsing, type Shopper, type ShopperOptions } from './shoppers.ts';

/** Shoppers per pool; enough that a third of them is a clear number. */
export const SHOPPERS = 12;
/** Lines each shopper puts in the cart. */
export const LINES = 3;
/** Browsing requests each shopper makes after a fault, so that every shopper meets the changed stack. */
export const ROUNDS_AFTER_FAULT = 4;

/** One shopper group per mode, each on its pool's shop. */
export function groupsFor(
  lab: ScenarioLab,
  modes: readonly SessionMode[],
  count = SHOPPERS,
  options?: (index: number) => ShopperOptions,
): ShopperGroup[] {
  return modes.map((mode) => new ShopperGroup(mode, lab.shopUrl(mode), count, options));
}

/** Every shopper browses `rounds` times, one request after another. */
export async function browseRounds(shoppers: readonly Shopper[], rounds = ROUNDS_AFTER_FAULT): Promise<void> {
  await Promise.all(
    shoppers.map(async (shopper) => {
      for (let round = 0; round < rounds; round += 1) await shopper.browse();
    }),
  );
}

/**
 * Fills every group's carts, runs `fault` while shoppers keep browsing, browses a few rounds more, and checks the
 * carts.
 */
export async function faultUnderLoad(
  lab: ScenarioLab,
  groups: readonly ShopperGroup[],
  fault: () => Promise<Map<SessionMode, string[]>>,
): Promise<ScenarioOutcome[]> {
  const labels = await lab.balancer.stickiness();
  await Promise.all(groups.map((group) => group.fill(LINES)));
  const everyone = groups.flatMap((group) => group.shoppers);
  const traffic = keepBrowsing(everyone);
  let notes: Map<SessionMode, string[]>;
  try {
    notes = await fault();
    await browseRounds(everyone);
  } finally {
    await traffic.stop();
  }
  return Promise.all(groups.map((group) => group.outcome(labels.get(group.mode) ?? '?', notes.get(group.mode) ?? [])));
}

/**
 * In every group at once, applies `fault` to the instance most of its shoppers were last served by (where the
 * most memory carts live) and notes what was done to whom; the usual fault step of `faultUnderLoad`.
 */
export async function faultOnBusiest(
  groups: readonly ShopperGroup[],
  done: string,
  fault: (victim: string) => Promise<unknown>,
): Promise<Map<SessionMode, string[]>> {
  const notes = new Map<SessionMode, string[]>();
  await Promise.all(
    groups.map(async (group) => {
      const victim = busiestInstance(group.shoppers) ?? `${group.mode}-1`;
      const held = group.shoppers.filter((shopper) => shopper.lastServedBy === victim).length;
      await fault(victim);
      notes.set(group.mode, [`${done} ${victim}, last server of ${held}/${group.shoppers.length} shoppers`]);
    }),
  );
  return notes;
}
