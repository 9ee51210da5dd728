// Scenario `no-stickiness`: the memory pool loses its sticky cookie, and carts scatter over instances.
import { sessionModes } from '../../contract/wire.ts';
import { faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './definition.ts';

export const noStickiness: Scenario = {
  name: 'no-stickiness',
  summary: 'the memory pool without stickiness: each request may land on another instance',
  modes: sessionModes,
  async run(lab) {
    await lab.balancer.patchPool('memory', { stickiness: { type: 'none' } });
    const groups = groupsFor(lab, this.modes);
    const outcomes = await faultUnderLoad(lab, groups, async () => new Map());
    for (const [index, group] of groups.entries()) {
      const outcome = outcomes[index];
      if (outcome) outcome.notes = [outcome.notes, `answers from ${group.spread()}`].filter(Boolean).join('; ');
    }
    return outcomes;
  },
};
