// Finds a free TCP port for servers that cannot listen on port 0 themselves (redis-server).

import net from 'node:net';
import { LabError } from '../../lab/errors.ts';

/**
 * Asks the kernel for a free port on `host` and releases it at once; a small race remains, so callers retry on
 * EADDRINUSE.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new LabError('internal_error', 'could not read the port of a probe listener'));
      });
    });
  });
}
