// Scenario `instance-restart`: crash an instance and start it again: it comes back, its memory does not.
import { sessionModes } from '../../contract/wire.ts';
import { faultOnBusiest, faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './definition.ts';

export const instanceRestart: Scenario = {
  name: 'instance-restart',
  summary: 'crash the busiest instance of each pool, then start it again on the same address',
  modes: sessionModes,
  async run(lab) {
    const groups = groupsFor(lab, this.modes);
    return faultUnderLoad(lab, groups, () =>
      faultOnBusiest(groups, 'crashed and restarted', async (victim) => {
        await lab.driver.act('crash', victim);
        await lab.driver.act('start', victim);
        await lab.balancer.waitForHealthy([victim]);
      }),
    );
  },
};
