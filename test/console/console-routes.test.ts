// The console's server side on a real lab proxy process: its page, the shop mirror, fault routes under each
// orchestrator, and errors as JSON.
import { describe, expect, it } from 'vitest';
import type { LabOptions } from '../../lab/lab-options.ts';
import { freePort } from '../../scripts/process/free-port.ts';
import { startLabProxy } from '../lab/support/lab-proxy.ts';
import { startEcho } from '../proxy/support/processes.ts';

interface Answer {
  status: number;
  headers: Headers;
  body: {
    error?: { code: string; message: string; details?: { commands?: string[] } | string[] };
    message?: string;
  } & Record<string, unknown>;
}

async function send(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    redirect: 'manual',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : { text },
  };
}

/** A lab proxy with one sticky pool of two echo backends, and the given lab options. */
async function proxyWithLab(lab?: LabOptions) {
  const echoes = await Promise.all(['e1', 'e2'].map((id) => startEcho(id)));
  return startLabProxy(
    {
      rules: [{ path: '/shop', pool: 'shop' }],
      pools: {
        shop: { stickiness: { type: 'lb-cookie' }, targets: echoes.map((echo) => ({ id: echo.id, url: echo.url })) },
      },
    },
    lab,
  );
}

describe('console routes on the control port', () => {
  it(
    'serves the page under /console/ with a strict content ' + 'security policy, and its modules as JavaScript',
    async () => {
      const proxy = await proxyWithLab();
      const bare = await send('GET', `${proxy.control}/console`);
      expect(bare.status).toBe(302);
      expect(bare.headers.get('location')).toBe('/console/');
      const page = await fetch(`${proxy.control}/console/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await page.text()).toContain('<script type="module" src="main.js">');
      const script = await fetch(`${proxy.control}/console/main.js`);
      expect(script.headers.get('content-type')).toContain('javascript');
      const missing = await send('GET', `${proxy.control}/console/nothing.js`);
      expect(missing.status).toBe(404);
      expect(missing.body.error?.code).toBe('not_found');
    },
  );

  it(
    'mirrors the public listener under /console/public/ with the sticky ' +
      'cookie moved under the mirror, and never leaves the proxy',
    async () => {
      const proxy = await proxyWithLab();
      const first = await send('GET', `${proxy.control}/console/public/shop/api/anything?x=1`);
      expect(first.status).toBe(200);
      expect(first.body.url).toBe('/shop/api/anything?x=1');
      expect(first.headers.get('x-upstream-reason')).toBe('new');
      const cookie = first.headers.getSetCookie()[0] ?? '';
      expect(cookie).toMatch(/^LABLB=[^;]+; Path=\/console\/public\/shop; /);
      const again = await send('GET', `${proxy.control}/console/public/shop/`, undefined, {
        cookie: cookie.split(';')[0] as string,
      });
      expect(again.headers.get('x-served-by')).toBe(first.headers.get('x-served-by'));
      expect(again.headers.get('x-upstream-reason')).toBeNull();

      const elsewhere = await send('GET', `${proxy.control}/console/public//example.com/`);
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body.error?.code).toBe('no_route');
    },
  );

  it(
    'drains and undrains through the proxy itself; refuses ' + 'bad bodies, unknown targets and other origins as JSON',
    async () => {
      const proxy = await proxyWithLab();
      const drained = await send(
        'POST',
        `${proxy.control}/api/console/faults`,
        { action: 'drain', target: 'e1' },
        { origin: proxy.control },
      );
      expect(drained.status).toBe(200);
      expect(drained.body.message).toContain('e1 is draining');
      const targets = (await (await fetch(`${proxy.control}/api/targets`)).json()) as { id: string; state: string }[];
      expect(targets.find((target) => target.id === 'e1')?.state).toBe('draining');
      expect(
        (await send('POST', `${proxy.control}/api/console/faults`, { action: 'undrain', target: 'e1' })).body.message,
      ).toBe('e1 is back in rotation');

      const unknown = await send('POST', `${proxy.control}/api/console/faults`, { action: 'drain', target: 'e9' });
      expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'unknown_target']);
      const bad = await send('POST', `${proxy.control}/api/console/faults`, { action: 'explode', target: 'e1' });
      expect([bad.status, bad.body.error?.code]).toEqual([400, 'invalid_body']);
      expect(bad.body.error?.details).toEqual([expect.stringMatching(/^action: /)]);
      const broken = await send('POST', `${proxy.control}/api/console/faults`, '{"action":');
      expect([broken.status, broken.body.error?.code]).toEqual([400, 'invalid_json']);

      const foreign = await send(
        'POST',
        `${proxy.control}/api/console/faults`,
        { action: 'drain', target: 'e1' },
        { origin: 'http://attacker.example' },
      );
      expect([foreign.status, foreign.body.error?.code]).toEqual([403, 'cross_origin']);
      const foreignAdmin = await send('POST', `${proxy.control}/api/targets/e1/drain`, undefined, { origin: 'null' });
      expect(foreignAdmin.status).toBe(403);
      const after = (await (await fetch(`${proxy.control}/api/targets`)).json()) as { id: string; state: string }[];
      expect(after.find((target) => target.id === 'e1')?.state).toBe('healthy');
    },
  );

  it('for a proxy started alone, says that nothing here can act on processes', async () => {
    const proxy = await proxyWithLab();
    const crash = await send('POST', `${proxy.control}/api/console/faults`, { action: 'crash', target: 'e1' });
    expect([crash.status, crash.body.error?.code]).toEqual([409, 'orchestrator_unavailable']);
    expect(crash.body.error?.message).toContain('not started by npm run demo');
    expect(crash.body.error?.details).toEqual({ commands: [] });
    const services = await send('GET', `${proxy.control}/api/console/services`);
    expect(services.status).toBe(409);
    const scenarios = await send('GET', `${proxy.control}/api/console/scenarios`);
    expect(scenarios.body.error?.details).toEqual({
      commands: ['npm run scenario -- instance-crash', 'npm run scenario -- --all'],
    });
  });

  it('under Docker Compose, answers each process fault with the exact commands to run on the host', async () => {
    const proxy = await proxyWithLab({ orchestrator: 'compose' });
    const crash = await send('POST', `${proxy.control}/api/console/faults`, { action: 'crash', target: 'memory-2' });
    expect([crash.status, crash.body.error?.code]).toEqual([409, 'orchestrator_unavailable']);
    expect(crash.body.error?.details).toEqual({
      commands: ['npm run fault -- crash memory-2 --compose', 'docker compose kill -s SIGKILL memory-2'],
    });
    const resume = await send('POST', `${proxy.control}/api/console/faults`, { action: 'resume', target: 'redis' });
    expect(resume.body.error?.details).toEqual({
      commands: ['npm run fault -- resume redis --compose', 'docker compose unpause redis'],
    });
    const scale = await send('POST', `${proxy.control}/api/console/faults`, { action: 'scale-out', target: 'jwt' });
    expect(scale.body.error?.details).toEqual({ commands: ['npm run fault -- scale-out jwt --compose'] });
    // the primary is whichever service the Sentinels name when the CLI runs: no docker command can say which
    const primary = await send('POST', `${proxy.control}/api/console/faults`, {
      action: 'crash',
      target: 'redis-primary',
    });
    expect(primary.body.error?.details).toEqual({ commands: ['npm run fault -- crash redis-primary --compose'] });
    // and with a single Redis, no Sentinels to ask: no rows, which the page shows as "not watched here"
    const services = await send('GET', `${proxy.control}/api/console/services`);
    expect([services.status, services.body]).toEqual([200, []]);
  });

  it('serves the fault catalogue as JSON, and refuses a fault the console does not offer', async () => {
    const proxy = await proxyWithLab({ orchestrator: 'compose' });
    const catalogue = await send('GET', `${proxy.control}/api/console/faults`);
    const faults = catalogue.body.faults as { name: string; console: boolean; orchestrators: string[] }[];
    expect(faults.find((fault) => fault.name === 'crash')).toMatchObject({
      console: true,
      orchestrators: ['native', 'compose'],
    });
    expect(faults.find((fault) => fault.name === 'blackhole')).toMatchObject({
      console: false,
      orchestrators: ['native', 'compose'],
    });
    expect(faults.find((fault) => fault.name === 'slow')).toMatchObject({
      target: 'redis',
      console: true,
      orchestrators: ['native', 'compose'],
    });
    // under Compose the console cannot act: it names the commands to run on the host
    const slow = await send('POST', `${proxy.control}/api/console/faults`, { action: 'slow', target: 'redis' });
    expect([slow.status, slow.body.error?.code]).toEqual([409, 'orchestrator_unavailable']);
    expect(slow.body.error?.details).toEqual({
      commands: [
        'npm run fault -- slow redis --compose',
        'docker compose exec -T redis-relay node dist/relay-toxic.mjs latency 800',
      ],
    });
    const blackhole = await send('POST', `${proxy.control}/api/console/faults`, { action: 'blackhole', target: 'e1' });
    expect([blackhole.status, blackhole.body.error?.code]).toEqual([400, 'invalid_body']);
  });

  it('says so when the native supervisor does not answer', async () => {
    const proxy = await proxyWithLab({ orchestrator: 'native', supervisorUrl: `http://127.0.0.1:${await freePort()}` });
    const crash = await send('POST', `${proxy.control}/api/console/faults`, { action: 'crash', target: 'e1' });
    expect([crash.status, crash.body.error?.code]).toEqual([502, 'supervisor_unreachable']);
    expect(crash.body.error?.message).toContain('is npm run demo still running?');
  });
});
