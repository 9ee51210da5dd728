// One health check request: GET the check path on the target's keep-alive agent and say how it went.
import http from 'node:http';
import type { Target } from '../pool/target.ts';

/** `ok`: a 2xx; `refused`: the process is not there (connection refused or reset); `failing`: an answer other than 2xx, or none in time. */
export type ProbeResult = 'ok' | 'refused' | 'failing';

/**
 * GETs `path` on `target` through its keep-alive agent: a check a second per target then costs one request, not a
 * connection too (half the CPU on both sides). A dead process still shows as refused at once: its kernel closes the
 * kept socket, so the check opens a new connection and is refused, or finds the socket reset.
 */
export function probe(target: Target, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      // a socket that failed or went silent is not reused; after a complete answer it goes back to the agent
      if (result !== 'ok') request.destroy();
      resolve(result);
    };
    const { hostname, port } = target.url;
    const request = http.get(
      { host: hostname, port, path, agent: target.agent, timeout: timeoutMs, headers: { 'user-agent': 'stickiness-lab-proxy/health-check' } },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        if (status < 200 || status >= 300) finish('failing');
        else response.once('end', () => finish('ok'));
      },
    );
    request.once('timeout', () => finish('failing'));
    request.once('error', (error: NodeJS.ErrnoException) => {
      finish(error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? 'refused' : 'failing');
    });
  });
}
