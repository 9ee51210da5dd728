// `stall`: Redis holds every connection open and answers nothing, as in a partition or a long blocking command
// (toxiproxy's `timeout` toxic with no timeout).
import { relayToxicArgs } from '../../scripts/orchestrators/relay-toxic-command.ts';
import { type Fault, toxicOnRedis } from './fault.ts';

/** Nothing is forwarded either way between the redis shops and Redis; connections stay open. */
export const stall: Fault = {
  name: 'stall',
  target: 'redis',
  summary: 'Redis holds every connection open and answers nothing (a partition, a stuck command)',
  done: 'stalled (nothing forwarded, connections held)',
  native: 'the supervisor sets a stall toxic on the relay between the redis shops and Redis',
  compose: {
    does: 'docker compose exec redis-relay node dist/relay-toxic.mjs stall',
    command: () => relayToxicArgs({ name: 'stall' }),
  },
  via: 'orchestrator',
  console: true,
  run: (hands, target) => toxicOnRedis(hands, target, { name: 'stall' }),
};
