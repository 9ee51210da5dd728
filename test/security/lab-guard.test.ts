// No web page can drive the lab: every refusal of the lab guard, and every path it lets through, on a real proxy
// process's control port and on a real supervisor listener.

import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSupervisor, startSupervisor } from '../../scripts/stack/supervisor-api.ts';
import { readSupervisorSecret, secretFile } from '../../scripts/stack/supervisor-secret.ts';
import { startLabProxy } from '../lab/support/lab-proxy.ts';
import { spawnProxy, startEcho, writeConfig } from '../proxy/support/processes.ts';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** One raw request with exactly these headers (fetch would set Host itself). */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { host: url.host, ...headers }, setHost: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const json = (response.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : { text };
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: json });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function proxyWithEcho(control: Record<string, unknown> = {}) {
  const echo = await startEcho('e1');
  return startLabProxy({
    control: { port: 0, ...control },
    rules: [{ path: '/shop', pool: 'shop' }],
    pools: { shop: { targets: [{ id: 'e1', url: echo.url }] } },
  });
}

const stateOf = async (control: string) =>
  ((await (await fetch(`${control}/api/targets`)).json()) as { state: string }[])[0]?.state;

describe('the control port', () => {
  it(
    'refuses every Host outside the allow-list, reads included: ' + 'a name rebound to 127.0.0.1 reaches nothing',
    async () => {
      const proxy = await proxyWithEcho();
      const rebound = { host: `evil.example:${proxy.controlPort}` };
      for (const path of [
        '/api/targets',
        '/api/lab',
        '/api/events',
        '/console/',
        '/',
        '/metrics',
        '/console/public/shop/',
      ]) {
        const read = await send(proxy.control, 'GET', path, rebound);
        expect([path, read.status, read.body.error?.code]).toEqual([path, 403, 'host_not_allowed']);
      }
      const drain = await send(proxy.control, 'POST', '/api/targets/e1/drain', {
        ...rebound,
        origin: `http://evil.example:${proxy.controlPort}`,
      });
      expect([drain.status, drain.body.error?.code]).toEqual([403, 'host_not_allowed']);
      expect(drain.body.error?.message).toContain('LAB_ALLOWED_HOSTS');
      expect(drain.headers['content-type']).toContain('application/json');
      for (const host of ['127.0.0.1.evil.example', 'localhost.', 'evil.example', '']) {
        expect((await send(proxy.control, 'GET', '/api/targets', { host })).status).toBe(403);
      }
      expect(await stateOf(proxy.control)).toBe('healthy');
    },
  );

  it('answers to 127.0.0.1, localhost and [::1] with any port (Docker may publish it on another one)', async () => {
    const proxy = await proxyWithEcho();
    for (const host of [
      `127.0.0.1:${proxy.controlPort}`,
      `localhost:${proxy.controlPort}`,
      `LOCALHOST:${proxy.controlPort}`,
      '[::1]:18081',
      'localhost',
    ]) {
      const read = await send(proxy.control, 'GET', '/api/targets', { host });
      expect([host, read.status]).toEqual([host, 200]);
    }
  });

  it(
    'refuses changes from another origin whatever their content ' +
      'type, and takes them from its own pages and from tools',
    async () => {
      const proxy = await proxyWithEcho();
      const foreign: Record<string, string>[] = [
        { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
        { origin: 'http://evil.example', 'content-type': 'text/plain' },
        { origin: 'http://evil.example', 'content-type': 'multipart/form-data; boundary=x' },
        { origin: 'null' },
        { origin: `http://localhost:${proxy.controlPort}` },
        { origin: `http://127.0.0.1:${proxy.controlPort + 1}` },
        { origin: `file://127.0.0.1:${proxy.controlPort}` },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
      ];
      for (const headers of foreign) {
        for (const [method, path] of [
          ['POST', '/api/targets/e1/drain'],
          ['PATCH', '/api/pools/shop'],
          ['DELETE', '/api/targets/e1'],
          ['POST', '/api/console/faults'],
        ]) {
          const answer = await send(proxy.control, method as string, path as string, headers, 'action=drain&target=e1');
          expect([JSON.stringify(headers), method, path, answer.status, answer.body.error?.code]).toEqual([
            JSON.stringify(headers),
            method,
            path,
            403,
            'cross_origin',
          ]);
        }
      }
      expect(await stateOf(proxy.control)).toBe('healthy');

      const own = await send(proxy.control, 'POST', '/api/targets/e1/drain', {
        origin: proxy.control,
        'sec-fetch-site': 'same-origin',
      });
      expect(own.status).toBe(200);
      expect(await stateOf(proxy.control)).toBe('draining');
      expect((await send(proxy.control, 'POST', '/api/targets/e1/undrain')).status).toBe(200);
      expect((await send(proxy.control, 'POST', '/api/targets/e1/drain', { 'sec-fetch-site': 'none' })).status).toBe(
        200,
      );
    },
  );

  it(
    'answers to the names of LAB_ALLOWED_HOSTS and of control.allowedHosts ' +
      '(".name": it and its subdomains), and to no others',
    async () => {
      const echo = await startEcho('e1');
      const child = spawnProxy(
        [
          '--config',
          writeConfig({
            listener: { host: '127.0.0.1', port: 0 },
            control: { port: 0, allowedHosts: ['.lab.test'] },
            rules: [{ path: '/s', pool: 's' }],
            pools: { s: { targets: [{ id: 'e1', url: echo.url }] } },
          }),
        ],
        { LAB_ALLOWED_HOSTS: ' Workshop.Internal , other.test, ., ' },
      );
      const listening = await child.waitForLine(
        (line) => (line.includes('"listening"') ? (JSON.parse(line) as { controlPort: number }) : undefined),
        'its listening line',
        15_000,
      );
      const control = `http://127.0.0.1:${listening.controlPort}`;
      for (const host of ['workshop.internal:8081', 'other.test', 'lab.test:1', 'a.b.lab.test:8081']) {
        expect([host, (await send(control, 'GET', '/api/targets', { host })).status]).toEqual([host, 200]);
      }
      for (const host of ['evil-lab.test', 'workshop.internal.evil.example', 'xlab.test', 'evil.example.', '']) {
        expect([host, (await send(control, 'GET', '/api/targets', { host })).status]).toEqual([host, 403]);
      }
      const named = await send(control, 'POST', '/api/targets/e1/drain', {
        host: 'workshop.internal:9',
        origin: 'http://workshop.internal:9',
      });
      expect(named.status).toBe(200);
    },
  );

  it("answers an Expect other than 100-continue with JSON 417 expectation_failed, not Node's bare 417", async () => {
    const proxy = await proxyWithEcho();
    for (const base of [proxy.control, proxy.url]) {
      const answer = await send(base, 'GET', '/api/targets', { expect: 'garbage' });
      expect([answer.status, answer.body.error?.code]).toEqual([417, 'expectation_failed']);
    }
  });

  it('serves a favicon, so the browser console of its pages stays clean', async () => {
    const proxy = await proxyWithEcho();
    const icon = await send(proxy.control, 'GET', '/favicon.ico');
    expect([icon.status, icon.headers['content-type']]).toEqual([204, 'image/x-icon']);
  });
});

describe('the supervisor', () => {
  let supervisor: RunningSupervisor | undefined;
  afterEach(() => {
    supervisor?.close();
    supervisor = undefined;
  });

  it('acts only for callers with the run secret, from a loopback Host and no other origin', async () => {
    // No stack yet: a request the guard lets through reaches the routes, which answer 409 "still starting".
    supervisor = await startSupervisor(() => undefined, { allowedHosts: [] });
    const { url, secret } = supervisor;
    const bearer = { authorization: `Bearer ${secret}` };

    const form = await send(
      url,
      'POST',
      '/api/faults/scale-out/jwt',
      { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      'x=1',
    );
    expect([form.status, form.body.error?.code]).toEqual([403, 'cross_origin']);
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: secret },
      { authorization: `Bearer ${secret}x` },
    ] as Record<string, string>[]) {
      for (const [method, path] of [
        ['GET', '/api/services'],
        ['POST', '/api/faults/crash/memory-1'],
        ['POST', '/api/scenarios/baseline/run'],
        ['GET', '/nothing'],
      ]) {
        const answer = await send(url, method as string, path as string, headers);
        expect([method, path, answer.status, answer.body.error?.code]).toEqual([
          method,
          path,
          401,
          'lab_secret_required',
        ]);
      }
    }
    const rebound = await send(url, 'GET', '/api/services', { ...bearer, host: 'evil.example' });
    expect([rebound.status, rebound.body.error?.code]).toEqual([403, 'host_not_allowed']);
    const crossWithSecret = await send(url, 'POST', '/api/faults/crash/memory-1', {
      ...bearer,
      origin: 'http://evil.example',
    });
    expect(crossWithSecret.body.error?.code).toBe('cross_origin');

    const allowed = await send(url, 'POST', '/api/faults/crash/memory-1', bearer);
    expect([allowed.status, allowed.body.error?.code]).toEqual([409, 'not_possible']);
    expect((await send(url, 'GET', '/api/services', { ...bearer, host: 'localhost' })).status).toBe(409);
  });

  it(
    'hands its secret to this user only, in a private file the ' + 'CLIs read, never in its URL; removes it at the end',
    async () => {
      supervisor = await startSupervisor(() => undefined, { allowedHosts: [] });
      expect(supervisor.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(readSupervisorSecret(supervisor.url)).toBe(supervisor.secret);
      const file = secretFile(supervisor.url);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      supervisor.close();
      supervisor = undefined;
      expect(existsSync(file)).toBe(false);
    },
  );
});
