// HAProxy from Debian's package as a contender: one thread, `cookie SRV insert indirect nocache` stickiness.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../process/free-port.ts';
import { waitUntil } from '../../process/wait.ts';
import { findBinary, missingBinaryReason } from '../binaries.ts';
import type { Contender } from '../contender.ts';
import { startForeground } from './foreground.ts';

/**
 * The settings our proxy runs with too: 1 s health checks, two failures to go down, retries elsewhere, and a failed
 * connection marks the server down at once (our passive health).
 */
function haproxyConfig(
  port: number,
  statsPort: number,
  healthPath: string,
  backends: readonly { id: string; port: number }[],
): string {
  const servers = backends
    .map(
      (backend) =>
        `  server ${backend.id} 127.0.0.1:${backend.port} cookie ${backend.id} ` +
        'check inter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down',
    )
    .join('\n');
  return `global
  nbthread 1
  maxconn 4096

defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 15s
  option http-keep-alive
  option forwardfor
  retries 2
  option redispatch 1
  retry-on all-retryable-errors

frontend public
  bind 127.0.0.1:${port}
  default_backend shop

backend shop
  balance roundrobin
  cookie SRV insert indirect nocache
  option httpchk GET ${healthPath}
${servers}

listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
}

/** `haproxy`: started in the foreground (`-db`) from its own config file; its stats CSV says when a server is DOWN. */
export const haproxy: Contender = {
  name: 'haproxy',
  isProxy: true,
  unavailable: () => (findBinary('haproxy') === undefined ? missingBinaryReason('haproxy', 'haproxy') : undefined),
  async start({ backends, workDir }) {
    const [port, statsPort] = [await freePort(), await freePort()];
    const configPath = join(workDir, 'haproxy.cfg');
    writeFileSync(configPath, haproxyConfig(port, statsPort, backends.healthPath, backends.backends));
    const url = `http://127.0.0.1:${port}${backends.path}`;
    const child = await startForeground('haproxy', findBinary('haproxy')!, ['-db', '-f', configPath], url);
    return {
      url,
      proxyPids: () => [child.pid!],
      async waitUntilOut(index, timeoutMs) {
        const id = backends.backends[index]!.id;
        try {
          await waitUntil(
            async () => {
              const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
              // columns: pxname, svname, …, status is the 18th
              const row = csv.split('\n').find((line) => line.startsWith(`shop,${id},`));
              return row !== undefined && row.split(',')[17]!.startsWith('DOWN');
            },
            `haproxy to mark ${id} DOWN`,
            { timeoutMs, intervalMs: 5 },
          );
          return performance.now();
        } catch {
          return undefined;
        }
      },
      async stop() {
        await child.stop(2_000);
      },
    };
  },
};
