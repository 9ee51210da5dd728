// `blackhole`: an instance that vanishes from the network without a word, as a machine does when its link dies.
import { cutNetwork, type Fault } from './fault.ts';

/**
 * Cuts the instance off: natively its packets are dropped (iptables, root only); under Compose its container leaves
 * the network. Connecting hangs, answers in flight never arrive.
 */
export const blackhole: Fault = {
  name: 'blackhole',
  target: 'instance',
  summary:
    'cut it off the network: connecting hangs, answers in flight never arrive ' +
    '(native: root and iptables; compose: docker network disconnect)',
  done: 'cut off the network (its packets are dropped)',
  native: 'the supervisor adds iptables rules that drop the packets of the instance\u2019s port',
  compose: { does: 'docker network disconnect: the container leaves the lab\u2019s network, its process runs on' },
  via: 'orchestrator',
  console: false,
  run: (hands, target) => cutNetwork(hands, target, true),
};
