// `resume`: the end of a `pause`.
import { processFault } from './process-fault.ts';

/** SIGCONT: a paused process continues. */
export const resume = processFault({
  name: 'resume',
  summary: 'SIGCONT: a paused process continues',
  done: 'resumed (SIGCONT)',
  native: 'the supervisor sends SIGCONT',
  compose: ['unpause'],
});
