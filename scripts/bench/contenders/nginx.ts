// nginx from Debian's package as a contender: one worker, `hash $cookie_benchclient consistent` stickiness.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../process/free-port.ts';
import { findBinary, missingBinaryReason } from '../binaries.ts';
import type { Contender } from '../contender.ts';
import { CLIENT_COOKIE } from '../load.ts';
import { startForeground } from './foreground.ts';

/**
 * Open-source nginx has no active health checks: `max_fails=1` takes a server out for `fail_timeout`
 * after one failed attempt, and `proxy_next_upstream` retries the request on the next server.
 */
function nginxConfig(prefix: string, port: number, backends: readonly { port: number }[]): string {
  const servers = backends
    .map((backend) => `    server 127.0.0.1:${backend.port} max_fails=1 fail_timeout=10s;`)
    .join('\n');
  return `daemon off;
# One process that serves (the worker), so the one-core budget is exact and a SIGKILL leaves no orphan worker.
master_process off;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log stderr warn;

events {
  worker_connections 4096;
}

http {
  access_log off;
  client_body_temp_path ${join(prefix, 'body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};

  upstream shop {
    hash $cookie_${CLIENT_COOKIE} consistent;
${servers}
    keepalive 64;
    # Below Node's 5 s server keep-alive, like our proxy's agents, so nginx never reuses a socket a backend is closing.
    keepalive_timeout 4s;
  }

  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://shop;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 1s;
      proxy_read_timeout 15s;
    }
  }
}
`;
}

/** `nginx`: one serving process in the foreground; it says a server is out in its error log. */
export const nginx: Contender = {
  name: 'nginx',
  isProxy: true,
  unavailable: () => (findBinary('nginx') === undefined ? missingBinaryReason('nginx', 'nginx') : undefined),
  async start({ backends, workDir }) {
    const prefix = join(workDir, 'nginx');
    mkdirSync(prefix, { recursive: true });
    const port = await freePort();
    const configPath = join(prefix, 'nginx.conf');
    writeFileSync(configPath, nginxConfig(prefix, port, backends.backends));
    const url = `http://127.0.0.1:${port}${backends.path}`;
    const child = await startForeground(
      'nginx',
      findBinary('nginx')!,
      ['-p', prefix, '-e', 'stderr', '-c', configPath],
      url,
    );
    const pid = child.pid!;
    return {
      url,
      proxyPids: () => [pid],
      async waitUntilOut(index, timeoutMs) {
        const upstream = `127.0.0.1:${backends.backends[index]!.port}`;
        try {
          await child.waitForLine(
            (line) => (line.includes('temporarily disabled') && line.includes(upstream) ? true : undefined),
            `nginx to disable ${upstream}`,
            timeoutMs,
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
