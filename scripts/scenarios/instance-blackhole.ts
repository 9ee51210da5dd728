// Scenario `instance-blackhole`: an instance vanishes from the network without a reset, as a machine or a container's
// network does; compare with instance-crash, where the kernel refuses the next connection at once. Natively its packets
// are dropped (iptables); under Compose its container leaves the network (docker network disconnect).

import { sessionModes } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import { faultOnBusiest, faultUnderLoad, groupsFor } from './common.ts';
import type { Scenario } from './definition.ts';

export const instanceBlackhole: Scenario = {
  name: 'instance-blackhole',
  summary: 'the busiest instance of each pool is cut off the network (packets dropped, no reset) under load',
  modes: sessionModes,
  async run(lab) {
    const network = lab.driver.network?.bind(lab.driver);
    if (!network)
      throw new LabError(
        'needs_own_stack',
        'needs an orchestrator that can cut an instance off the network ' +
          '(the native lab as root with iptables, or Docker Compose)',
      );
    const groups = groupsFor(lab, this.modes);
    const cut: string[] = [];
    const detection = new Map<string, string>();
    try {
      const outcomes = await faultUnderLoad(lab, groups, async () => {
        const notes = await faultOnBusiest(groups, 'cut off the network', async (victim) => {
          const at = performance.now();
          await network(victim, true);
          cut.push(victim);
          const out = await lab.balancer.waitUntilOut?.(victim, 15_000);
          detection.set(
            victim,
            out === undefined ? 'the proxy never marked it out' : `marked out after ${Math.round(out - at)} ms`,
          );
        });
        for (const [mode, lines] of notes) {
          const victim = cut.find((id) => id.startsWith(`${mode}-`));
          if (victim) lines.push(detection.get(victim) ?? '');
        }
        return notes;
      });
      return outcomes;
    } finally {
      for (const victim of cut) await network(victim, false);
    }
  },
};
