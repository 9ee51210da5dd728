// Two reference proxies that only pass requests through, so a report can say how much of our CPU is Node's and
// http-proxy-3's own.
import { bundledEntry } from '../../process/bundle.ts';
import { ManagedChild } from '../../process/child.ts';
import { listeningPort } from '../../process/listening-line.ts';
import { projectRoot } from '../../process/project-root.ts';
import type { Contender, ContenderName } from '../contender.ts';
import { nodeCommand, startupTimeoutMs } from '../node-launch.ts';

/** A floor contender: `entry` is started with the backend ports and prints `{"msg":"listening","port":N}`. */
function floor(name: ContenderName, entry: string): Contender {
  return {
    name,
    isProxy: false,
    unavailable: () => undefined,
    async start({ backends }) {
      const child = new ManagedChild({
        name,
        ...nodeCommand(name, [
          await bundledEntry(entry),
          '--backends',
          backends.backends.map((backend) => backend.port).join(','),
        ]),
        cwd: projectRoot,
      });
      try {
        const port = await child.waitForLine(listeningPort, 'its listening line', startupTimeoutMs());
        return {
          url: `http://127.0.0.1:${port}${backends.path}`,
          proxyPids: () => [child.pid!],
          async stop() {
            await child.stop(5_000);
          },
        };
      } catch (error) {
        await child.kill();
        throw error;
      }
    },
  };
}

/** `floor-node-http`: node:http in and out with a keep-alive agent; the least a Node proxy can spend. */
export const floorNodeHttp = floor('floor-node-http', 'scripts/bench/floor/node-http.ts');

/** `floor-http-proxy-3`: http-proxy-3 with the lab proxy's per-target options; the least our proxy can spend. */
export const floorHttpProxy3 = floor('floor-http-proxy-3', 'scripts/bench/floor/http-proxy-3.ts');
