// `heal`: the end of `slow` and `stall` (the word Jepsen's nemeses use for lifting a network fault).
import { relayToxicArgs } from '../../scripts/orchestrators/relay-toxic-command.ts';
import { type Fault, toxicOnRedis } from './fault.ts';

/** Lifts every toxic of the relay in front of Redis; held data flows at once. */
export const heal: Fault = {
  name: 'heal',
  target: 'redis',
  summary: 'lift slow and stall: Redis answers at full speed again, held commands go through',
  done: 'healed (no toxic)',
  native: 'the supervisor lifts every toxic of the relay between the redis shops and Redis',
  compose: {
    does: 'docker compose exec redis-relay node dist/relay-toxic.mjs clear',
    command: () => relayToxicArgs(null),
  },
  via: 'orchestrator',
  console: true,
  run: (hands, target) => toxicOnRedis(hands, target, null),
};
