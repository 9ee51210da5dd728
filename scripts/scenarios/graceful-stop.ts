// Scenario `graceful-stop`: drain an instance at the proxy, then SIGTERM it: no failed request, yet memory carts still
// go.
import { sessionModes } from '../../contract/wire.ts';
import { faultOnBusiest, faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './definition.ts';

export const gracefulStop: Scenario = {
  name: 'graceful-stop',
  summary: 'drain the busiest instance of each pool, then stop it with SIGTERM',
  modes: sessionModes,
  async run(lab) {
    const groups = groupsFor(lab, this.modes);
    return faultUnderLoad(lab, groups, () =>
      faultOnBusiest(groups, 'drained and stopped', async (victim) => {
        await lab.balancer.drain(victim);
        await lab.driver.act('stop', victim);
      }),
    );
  },
};
