// Every translation of every kind of pool is accepted by the real tool that reads it (haproxy -c, nginx -t, a YAML
// parser).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkConfig, loadConfig } from '../../proxy/config/load.ts';
import { ManagedChild } from '../../scripts/process/child.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { DEMO_CONFIG } from '../../scripts/stack/topology.ts';
import { translators } from '../../scripts/translate/registry.ts';

const work = mkdtempSync(join(tmpdir(), 'translate-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A config with one pool of each kind the lab knows. */
const everyKind = checkConfig({
  trustedProxies: ['127.0.0.1'],
  rules: ['cookie', 'app', 'modulo', 'ring', 'least', 'random', 'weighted'].map((name) => ({
    path: `/${name}`,
    pool: name,
  })),
  pools: {
    cookie: {
      stickiness: { type: 'lb-cookie', duration: '1h', cookie: { name: 'SRV', secure: true, sameSite: 'Strict' } },
      failover: 'strict',
      targets: targets('cookie'),
    },
    app: { stickiness: { type: 'app-cookie', cookieName: 'cart_memory_sid' }, targets: targets('app') },
    modulo: { stickiness: { type: 'source-ip', hash: 'modulo' }, targets: targets('modulo') },
    ring: { stickiness: { type: 'source-ip', hash: 'consistent' }, targets: targets('ring') },
    least: { algorithm: 'least-outstanding', targets: targets('least') },
    random: { algorithm: 'random', targets: targets('random') },
    weighted: {
      algorithm: 'weighted-round-robin',
      targets: targets('weighted').map((target, index) => ({ ...target, weight: index })),
    },
  },
});

function targets(pool: string) {
  return [1, 2, 3].map((index) => ({ id: `${pool}-${index}`, url: `http://127.0.0.1:${40_000 + index}` }));
}

function translate(to: string, config = everyKind): string {
  const translator = translators.get(to);
  if (!translator) throw new Error(`no translator ${to}`);
  return translator.translate(config);
}

describe('translate', () => {
  it('haproxy: `haproxy -c` accepts the demo config and every kind of pool', () => {
    const cases: [string, string][] = [
      ['demo', translate('haproxy', loadConfig(DEMO_CONFIG))],
      ['every-kind', translate('haproxy')],
    ];
    for (const [name, text] of cases) {
      const file = join(work, `${name}.haproxy.cfg`);
      writeFileSync(file, text);
      expect(() => execFileSync('haproxy', ['-c', '-q', '-f', file], { stdio: 'pipe' })).not.toThrow();
    }
    const text = translate('haproxy');
    expect(text).toContain('cookie SRV insert indirect nocache maxidle 3600s httponly secure attr "SameSite=Strict"');
    expect(text).toMatch(/backend modulo\n(.*\n)*? {4}balance source\n {4}hash-type map-based/);
    expect(text).toMatch(/backend ring\n(.*\n)*? {4}balance source\n {4}hash-type consistent/);
    expect(text).toContain('stick store-response res.cook(cart_memory_sid)');
    expect(text).toContain('balance leastconn');
    expect(text).toContain('server weighted-1 127.0.0.1:40001 check weight 0');
  });

  it('nginx: `nginx -t` accepts the demo config and every kind of pool', () => {
    const cases: [string, string][] = [
      ['demo', translate('nginx', loadConfig(DEMO_CONFIG))],
      ['every-kind', translate('nginx')],
    ];
    for (const [name, text] of cases) {
      const file = join(work, `${name}.nginx.conf`);
      writeFileSync(
        file,
        `pid ${join(work, `${name}.pid`)};\nerror_log stderr;\nevents {}\nhttp {\naccess_log off;\n${text}\n}\n`,
      );
      expect(() => execFileSync('nginx', ['-t', '-q', '-p', work, '-c', file], { stdio: 'pipe' })).not.toThrow();
    }
    const text = translate('nginx');
    expect(text).toContain('ip_hash;');
    expect(text).toContain('uses only the first three octets');
    expect(text).toContain('hash $remote_addr consistent;');
    expect(text).toMatch(/upstream modulo \{\n(.*\n)*? {4}hash \$remote_addr;/);
    expect(text).toContain('least_conn;');
    expect(text).toContain('set_real_ip_from 127.0.0.1;');
  });

  it('k8s: valid YAML documents, a Service and an Ingress per pool, with affinity annotations', () => {
    const documents = parseAllDocuments(translate('k8s'));
    expect(documents.every((document) => document.errors.length === 0)).toBe(true);
    const objects = documents.map(
      (document) =>
        document.toJS() as {
          kind: string;
          metadata: { name: string; annotations?: Record<string, string> };
          spec: Record<string, unknown>;
        },
    );
    expect(objects.filter((object) => object.kind === 'Service')).toHaveLength(7);
    const cookie = objects.find((object) => object.kind === 'Ingress' && object.metadata.name === 'lab-cookie');
    expect(cookie?.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
      'nginx.ingress.kubernetes.io/session-cookie-name': 'SRV',
      'nginx.ingress.kubernetes.io/session-cookie-max-age': '3600',
      'nginx.ingress.kubernetes.io/affinity-mode': 'persistent',
    });
    expect(
      objects.find((object) => object.kind === 'Service' && object.metadata.name === 'lab-ring')?.spec.sessionAffinity,
    ).toBe('ClientIP');
  });

  it('alb: Terraform target groups with the stickiness, algorithm and health check AWS allows', () => {
    const text = translate('alb');
    /** `lines` somewhere after the start of target group `name`'s resource block. */
    const inTargetGroup = (name: string, lines: RegExp) =>
      new RegExp(`resource "aws_lb_target_group" "${name}" \\{(\\n.*)*?${lines.source}`);
    expect(text).toMatch(inTargetGroup('cookie', /\n {4}type {12}= "lb_cookie"\n {4}cookie_duration = 3600/));
    expect(text).toMatch(inTargetGroup('app', /\n {4}type {12}= "app_cookie"\n {4}cookie_name {5}= "cart_memory_sid"/));
    expect(text).toMatch(inTargetGroup('ring', /\n {2}protocol = "TCP"(\n.*)*?\n {4}type {4}= "source_ip"/));
    expect(text).toContain('load_balancing_algorithm_type = "least_outstanding_requests"');
    expect(text).toContain('interval            = 5');
    expect(text).toContain('ALB always moves a client whose target is unhealthy');
    expect((text.match(/\{/g) ?? []).length).toBe((text.match(/\}/g) ?? []).length);
  });

  it('npm run translate prints a translation, and refuses an unknown target or a bad config (exit 2)', async () => {
    const run = async (...args: string[]) => {
      const child = new ManagedChild({
        name: 'translate',
        command: process.execPath,
        args: ['--import', 'tsx', 'scripts/translate.ts', ...args],
        cwd: projectRoot,
      });
      const exit = await child.exited;
      return { code: exit.code, output: child.recentOutput() };
    };
    const ok = await run('--to', 'k8s');
    expect(ok.code).toBe(0);
    expect(ok.output).toContain('kind: Ingress');
    const unknown = await run('--to', 'f5');
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('unknown target "f5"');
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'rules: []\npools: {}\n');
    const refused = await run('--to', 'haproxy', '--config', bad);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('rules: expected at least one rule');
  });
});
