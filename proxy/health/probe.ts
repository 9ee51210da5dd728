// One health check request: GET the check path on the check's own kept connection and say how it went.
import http from 'node:http';
import type { Target } from '../pool/target.ts';

/**
 * `ok`: a 2xx; `refused`: the process is not there (connection refused or reset); `failing`: an answer other than 2xx,
 * or none in time.
 */
export type ProbeResult = 'ok' | 'refused' | 'failing';

/**
 * The connection a target's health checks keep between checks: one socket, never the target's forwarding agent,
 * whose sockets can idle until the target closes them. A check a second on a kept socket costs the proxy and the
 * target about half what a new connection each time does (the idle compose stack's CPU, docs/docker.md).
 */
export function healthCheckAgent(): http.Agent {
  // Idle for less than the target's keep-alive timeout (Node's default is 5 s) when checks are rarer than that.
  return new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, timeout: 4_000 });
}

/**
 * GETs `path` on `target` through `agent`. A reset on a kept socket may only mean that the target closed it at its
 * keep-alive timeout as the check was sent, so that check is sent once more on a connection of its own: only a
 * refusal or reset of a new connection reads as a dead process (a reset read as one once moved every sticky session
 * of a healthy target).
 */
export async function probe(target: Target, path: string, timeoutMs: number, agent: http.Agent): Promise<ProbeResult> {
  const first = await probeOnce(target, path, timeoutMs, agent);
  if (first !== 'reset-on-kept-socket') return first;
  const again = await probeOnce(target, path, timeoutMs, false);
  return again === 'reset-on-kept-socket' ? 'refused' : again;
}

function probeOnce(
  target: Target,
  path: string,
  timeoutMs: number,
  agent: http.Agent | false,
): Promise<ProbeResult | 'reset-on-kept-socket'> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult | 'reset-on-kept-socket', keepSocket = false) => {
      if (settled) return;
      settled = true;
      if (!keepSocket) request.destroy();
      resolve(result);
    };
    const { hostname, port } = target.url;
    const request = http.get(
      {
        host: hostname,
        port,
        path,
        agent,
        timeout: timeoutMs,
        headers: { 'user-agent': 'stickiness-lab-proxy/health-check' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const result = status >= 200 && status < 300 ? 'ok' : 'failing';
        // Read to the end, so that the socket goes back to the agent for the next check.
        response.once('end', () => finish(result, true));
        response.once('error', () => finish(result));
        response.resume();
      },
    );
    request.once('timeout', () => finish('failing'));
    request.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' && request.reusedSocket) finish('reset-on-kept-socket');
      else finish(error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? 'refused' : 'failing');
    });
  });
}
