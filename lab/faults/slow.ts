// `slow`: Redis answers late, as a busy node, a fork for a snapshot or a congested network makes it (toxiproxy's
// `latency` toxic).

import { relayToxicArgs } from '../../scripts/orchestrators/relay-toxic-command.ts';
import { LabError } from '../errors.ts';
import { type Fault, toxicOnRedis } from './fault.ts';

/** The default delay: over the redis shops' 500 ms command timeout, so every request is refused with a fast 503. */
const DEFAULT_MS = 800;
const MAX_MS = 60_000;

/** Every answer from Redis to the redis shops is held back `--ms` milliseconds (default 800). */
export const slow: Fault = {
  name: 'slow',
  target: 'redis',
  summary: 'every Redis answer arrives --ms late (default 800; over the shops\u2019 500 ms command timeout: fast 503s)',
  done: 'slowed (latency toxic)',
  native: 'the supervisor sets a latency toxic on the relay between the redis shops and Redis',
  compose: {
    does: 'docker compose exec redis-relay node dist/relay-toxic.mjs latency MS',
    command: () => relayToxicArgs({ name: 'latency', ms: DEFAULT_MS }),
  },
  via: 'orchestrator',
  console: true,
  ms: { default: DEFAULT_MS, max: MAX_MS },
  run: (hands, target, settings) => {
    const ms = settings?.ms ?? DEFAULT_MS;
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS)
      throw new LabError('invalid_toxic', `--ms must be a whole number of milliseconds from 0 to ${MAX_MS}`);
    return toxicOnRedis(hands, target, { name: 'latency', ms });
  },
};
