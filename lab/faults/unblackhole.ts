// `unblackhole`: the end of a `blackhole`.
import { cutNetwork, type Fault } from './fault.ts';

/** Removes the rules that drop the instance's packets (native lab only). */
export const unblackhole: Fault = {
  name: 'unblackhole',
  target: 'instance',
  summary: 'take back a blackholed instance onto the network (native lab, root and iptables)',
  done: 'back on the network',
  native: 'the supervisor removes the iptables rules of the instance\u2019s port',
  via: 'orchestrator',
  console: false,
  run: (hands, target) => cutNetwork(hands, target, false),
};
