// `pause`: a hung process that still holds its connections (a long GC pause, a stuck event loop).
import { processFault } from './process-fault.ts';

/** SIGSTOP: the process stops running but keeps its sockets open. */
export const pause = processFault({
  name: 'pause',
  summary: 'SIGSTOP: the process hangs, holding its connections',
  done: 'paused (SIGSTOP: it hangs, holding its connections)',
  native: 'the supervisor sends SIGSTOP',
  compose: ['pause'],
});
