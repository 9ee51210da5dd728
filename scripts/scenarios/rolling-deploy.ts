// Scenario `rolling-deploy`: every instance of every pool is drained, stopped, started again and put back, one at a
// time.
import { sessionModes } from '../../contract/wire.ts';
import type { SessionMode } from '../process/cart-instance.ts';
import { faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario, ScenarioLab } from './definition.ts';

async function rollPool(lab: ScenarioLab, pool: SessionMode): Promise<string[]> {
  const ids = await lab.balancer.instances(pool);
  for (const id of ids) {
    await lab.balancer.drain(id);
    await lab.driver.act('stop', id);
    await lab.driver.act('start', id);
    await lab.balancer.undrain(id);
    // like a deployment's health gate: the next instance goes only once this one is back in rotation
    await lab.balancer.waitForHealthy([id]);
  }
  return [`replaced ${ids.join(', ')} one after another`];
}

export const rollingDeploy: Scenario = {
  name: 'rolling-deploy',
  summary: 'replace every instance of each pool one after another (drain, stop, start, undrain)',
  modes: sessionModes,
  async run(lab) {
    const groups = groupsFor(lab, this.modes);
    return faultUnderLoad(lab, groups, async () => {
      const notes = await Promise.all(this.modes.map((mode) => rollPool(lab, mode)));
      return new Map(this.modes.map((mode, index) => [mode, notes[index] ?? []]));
    });
  },
};
