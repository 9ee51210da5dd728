// Scenario `graceful-stop`: drain an instance at the proxy, then SIGTERM it: no failed request, yet memory carts still go.
import { cartsOn, faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './scenario.ts';
import { busiestInstance } from './shoppers.ts';

export const gracefulStop: Scenario = {
  name: 'graceful-stop',
  summary: 'drain the busiest instance of each pool, then stop it with SIGTERM',
  modes: ['memory', 'redis', 'jwt'],
  async run(lab) {
    const groups = groupsFor(lab, this.modes);
    return faultUnderLoad(lab, groups, async () => {
      const notes = new Map();
      await Promise.all(
        groups.map(async (group) => {
          const victim = busiestInstance(group.shoppers) ?? `${group.mode}-1`;
          const held = cartsOn(group, victim);
          await lab.admin.drain(victim);
          await lab.driver.act('stop', victim);
          notes.set(group.mode, [`drained and stopped ${victim}, last server of ${held}/${group.shoppers.length} shoppers`]);
        }),
      );
      return notes;
    });
  },
};
