// Scenario `baseline`: no fault at all, so every later row has something to be compared with.
import { sessionModes } from '../../contract/wire.ts';
import { faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './definition.ts';

export const baseline: Scenario = {
  name: 'baseline',
  summary: 'no fault: shoppers fill carts and browse; every design keeps them',
  modes: sessionModes,
  async run(lab) {
    const groups = groupsFor(lab, this.modes);
    return faultUnderLoad(lab, groups, async () => new Map());
  },
};
