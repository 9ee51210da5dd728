// `restart`: a graceful stop and a start, as a deploy does to one instance.
import { processFault } from './process-fault.ts';

/** Stops the process gracefully, then starts it. */
export const restart = processFault({
  name: 'restart',
  summary: 'graceful stop, then start',
  done: 'restarted',
  native: 'the supervisor sends SIGTERM, waits, and starts the process again',
  compose: ['restart'],
});
