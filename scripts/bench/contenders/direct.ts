// No proxy at all: the load goes straight to the first backend, the physical limit of one instance.
import type { Contender } from '../contender.ts';

/** `direct`: one backend, no proxy process (so no proxy CPU to report). */
export const direct: Contender = {
  name: 'direct',
  isProxy: false,
  unavailable: () => undefined,
  async start({ backends }) {
    return {
      url: `http://127.0.0.1:${backends.backends[0]!.port}${backends.path}`,
      proxyPids: () => [],
      async stop() {},
    };
  },
};
