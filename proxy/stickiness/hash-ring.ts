// A consistent hash ring: adding or removing one of N targets moves only about 1/N of the clients.
import type { Target } from '../pool/target.ts';
import { hash32 } from './hash.ts';

/** Points per target: enough for an even spread of a handful of targets, small enough to rebuild at once. */
const POINTS_PER_TARGET = 160;

/** A ring over a fixed list of targets; build a new one when the list changes. */
export class HashRing {
  readonly targets: readonly Target[];
  private readonly points: Uint32Array;
  private readonly owners: Target[];

  constructor(targets: readonly Target[]) {
    this.targets = targets;
    const placed: { point: number; owner: Target }[] = [];
    for (const target of targets) {
      for (let replica = 0; replica < POINTS_PER_TARGET; replica++) {
        placed.push({ point: hash32(`${target.id}#${replica}`), owner: target });
      }
    }
    placed.sort((a, b) => a.point - b.point);
    this.points = Uint32Array.from(placed, (entry) => entry.point);
    this.owners = placed.map((entry) => entry.owner);
  }

  /** The first target clockwise from `hash` that `accept` takes, or undefined when it takes none. */
  lookup(hash: number, accept?: (target: Target) => boolean): Target | undefined {
    const count = this.points.length;
    if (count === 0) return undefined;
    let low = 0;
    let high = count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.points[middle]! < hash) low = middle + 1;
      else high = middle;
    }
    for (let step = 0; step < count; step++) {
      const owner = this.owners[(low + step) % count]!;
      if (accept === undefined || accept(owner)) return owner;
    }
    return undefined;
  }
}
