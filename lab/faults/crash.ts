// `crash`: SIGKILL, the fault that shows what an instance's memory is worth.
import { processFault } from './process-fault.ts';

/** The process dies at once with every session it holds, and stays down until `start`. */
export const crash = processFault({
  name: 'crash',
  summary: 'SIGKILL: the process dies at once, with every session it holds',
  done: 'crashed (SIGKILL)',
  native: 'the supervisor sends SIGKILL to the process',
  compose: ['kill', '-s', 'SIGKILL'],
});
