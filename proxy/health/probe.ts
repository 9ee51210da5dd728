// One health check request: GET the check path on a fresh connection and say how it went.
import http from 'node:http';

/** `ok`: a 2xx; `refused`: the process is not there (connection refused or reset); `failing`: an answer other than 2xx, or none in time. */
export type ProbeResult = 'ok' | 'refused' | 'failing';

/** GETs `path` on `target` without keep-alive, so a dead process shows as refused at once. */
export function probe(target: URL, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve(result);
    };
    const request = http.get(
      { host: target.hostname, port: target.port, path, agent: false, timeout: timeoutMs, headers: { 'user-agent': 'stickiness-lab-proxy/health-check' } },
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
