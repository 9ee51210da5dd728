// One health check request: GET the check path on a fresh connection and say how it went.
import http from 'node:http';
import type { Target } from '../pool/target.ts';

/**
 * `ok`: a 2xx; `refused`: the process is not there (connection refused or reset); `failing`: an answer other than 2xx,
 * or none in time.
 */
export type ProbeResult = 'ok' | 'refused' | 'failing';

/**
 * GETs `path` on `target` on a connection of its own, so a dead process shows as refused at once. Not on the
 * target's keep-alive agent: a kept socket the target closes at its keep-alive timeout can meet the check with a
 * reset, which reads as a dead process and moved every sticky session of a healthy target (seen in CI under load).
 */
export function probe(target: Target, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve(result);
    };
    const { hostname, port } = target.url;
    const request = http.get(
      {
        host: hostname,
        port,
        path,
        agent: false,
        timeout: timeoutMs,
        headers: { 'user-agent': 'stickiness-lab-proxy/health-check' },
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        finish(status >= 200 && status < 300 ? 'ok' : 'failing');
      },
    );
    request.once('timeout', () => finish('failing'));
    request.once('error', (error: NodeJS.ErrnoException) => {
      finish(error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? 'refused' : 'failing');
    });
  });
}
