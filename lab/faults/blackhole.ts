// `blackhole`: an instance that vanishes from the network without a word, as a machine does when its link dies.
import { cutNetwork, type Fault } from './fault.ts';

/** Drops the instance's packets (iptables, root only, native lab only): connecting hangs, answers never arrive. */
export const blackhole: Fault = {
  name: 'blackhole',
  target: 'instance',
  summary: 'drop its packets: connecting hangs, answers in flight never arrive (native lab, root and iptables)',
  done: 'cut off the network (its packets are dropped)',
  native: 'the supervisor adds iptables rules that drop the packets of the instance\u2019s port',
  via: 'orchestrator',
  console: false,
  run: (hands, target) => cutNetwork(hands, target, true),
};
