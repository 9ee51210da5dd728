// Scenario `instance-crash`: SIGKILL the instance holding the most memory carts, and one instance of each other pool.
import { sessionModes } from '../../contract/wire.ts';
import { faultOnBusiest, faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './definition.ts';

export const instanceCrash: Scenario = {
  name: 'instance-crash',
  summary: 'SIGKILL the instance holding the most memory carts (and one of each other pool) under load',
  modes: sessionModes,
  async run(lab) {
    const groups = groupsFor(lab, this.modes);
    return faultUnderLoad(lab, groups, () =>
      faultOnBusiest(groups, 'crashed', (victim) => lab.driver.act('crash', victim)),
    );
  },
};
