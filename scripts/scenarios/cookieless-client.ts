// Scenario `cookieless-client`: shoppers whose browsers drop every cookie; no cookie-based session can follow them.
import { sessionModes } from '../../contract/wire.ts';
import { faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './definition.ts';

export const cookielessClient: Scenario = {
  name: 'cookieless-client',
  summary: 'shoppers that drop every cookie: neither sticky cookies nor session cookies reach the shop',
  modes: sessionModes,
  async run(lab) {
    const groups = groupsFor(lab, this.modes, undefined, () => ({ dropCookies: true }));
    const outcomes = await faultUnderLoad(lab, groups, async () => new Map());
    for (const outcome of outcomes) {
      outcome.notes = [outcome.notes, 'every request started a new session'].filter(Boolean).join('; ');
    }
    return outcomes;
  },
};
