// `start`: brings a stopped or crashed process back (with an empty memory).
import { processFault } from './process-fault.ts';

/** Starts the process again, on the same port. */
export const start = processFault({
  name: 'start',
  summary: 'start a stopped or crashed process again (with an empty memory)',
  done: 'started',
  native: 'the supervisor starts the process again on its port',
  compose: ['start'],
});
