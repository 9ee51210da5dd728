// `stop`: a graceful stop, to compare with a crash.
import { processFault } from './process-fault.ts';

/** SIGTERM: the process finishes the requests in flight and exits. */
export const stop = processFault({
  name: 'stop',
  summary: 'SIGTERM: a graceful stop that finishes the requests in flight',
  done: 'stopped gracefully (SIGTERM)',
  native: 'the supervisor sends SIGTERM and waits for the exit',
  compose: ['stop'],
});
