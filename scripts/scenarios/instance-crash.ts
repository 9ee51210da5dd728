// Scenario `instance-crash`: SIGKILL the instance holding the most memory carts, and one instance of each other pool.
import { cartsOn, faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './scenario.ts';
import { busiestInstance } from './shoppers.ts';

export const instanceCrash: Scenario = {
  name: 'instance-crash',
  summary: 'SIGKILL the instance holding the most memory carts (and one of each other pool) under load',
  modes: ['memory', 'redis', 'jwt'],
  async run(lab) {
    const groups = groupsFor(lab, this.modes);
    return faultUnderLoad(lab, groups, async () => {
      const notes = new Map();
      await Promise.all(
        groups.map(async (group) => {
          const victim = busiestInstance(group.shoppers) ?? `${group.mode}-1`;
          const held = cartsOn(group, victim);
          await lab.driver.act('crash', victim);
          notes.set(group.mode, [`crashed ${victim}, last server of ${held}/${group.shoppers.length} shoppers`]);
        }),
      );
      return notes;
    });
  },
};
