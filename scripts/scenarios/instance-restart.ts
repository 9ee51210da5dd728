// Scenario `instance-restart`: crash an instance and start it again: it comes back, its memory does not.
import { cartsOn, faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './scenario.ts';
import { busiestInstance } from './shoppers.ts';

export const instanceRestart: Scenario = {
  name: 'instance-restart',
  summary: 'crash the busiest instance of each pool, then start it again on the same address',
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
          await lab.driver.act('start', victim);
          await lab.admin.waitForHealthy([victim]);
          notes.set(group.mode, [`crashed and restarted ${victim}, last server of ${held}/${group.shoppers.length} shoppers`]);
        }),
      );
      return notes;
    });
  },
};
