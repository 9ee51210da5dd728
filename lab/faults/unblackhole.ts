// `unblackhole`: the end of a `blackhole`.
import { cutNetwork, type Fault } from './fault.ts';

/** Removes the rules that drop the instance's packets, or connects its container again under its service name. */
export const unblackhole: Fault = {
  name: 'unblackhole',
  target: 'instance',
  summary: 'take a blackholed instance back onto the network',
  done: 'back on the network',
  native: 'the supervisor removes the iptables rules of the instance\u2019s port',
  compose: { does: 'docker network connect --alias SERVICE: the container is back under its name' },
  via: 'orchestrator',
  console: false,
  run: (hands, target) => cutNetwork(hands, target, false),
};
