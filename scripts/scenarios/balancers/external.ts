// HAProxy or nginx as a scenario's balancer, running the `npm run translate` output of the lab's proxy config.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../../lab/errors.ts';
import type { ProxyConfig } from '../../../proxy/config/schema.ts';
import { poolPatchSchema } from '../../../proxy/config/schema.ts';
import { ManagedChild } from '../../process/child.ts';
import { freePort } from '../../process/free-port.ts';
import { waitForHttp } from '../../process/wait.ts';
import { translators } from '../../translate/registry.ts';
import { type Balancer, stickinessLabel } from './balancer.ts';

/** The real balancers a scenario can run against. */
export const externalBalancers = ['haproxy', 'nginx'] as const;
/** One of them. */
export type ExternalBalancerName = (typeof externalBalancers)[number];

/** How to run each: the binary, how to wrap the translation into a whole config file, and the foreground command. */
const dialects: Record<
  ExternalBalancerName,
  {
    binary: string;
    labels: Record<string, string>;
    file(translation: string, dir: string): string;
    args(file: string, dir: string): string[];
  }
> = {
  haproxy: {
    binary: 'haproxy',
    labels: {
      'lb-cookie': 'cookie insert',
      'app-cookie': 'stick on cookie',
      'source-ip/modulo': 'balance source',
      'source-ip/consistent': 'balance source consistent',
    },
    file: (translation) => translation,
    args: (file) => ['-db', '-f', file],
  },
  nginx: {
    binary: 'nginx',
    labels: {
      'lb-cookie': 'ip_hash',
      'app-cookie': 'hash $cookie',
      'source-ip/modulo': 'hash $remote_addr',
      'source-ip/consistent': 'hash consistent',
    },
    file: (translation, dir) =>
      [
        'worker_processes 1;',
        `pid ${join(dir, 'nginx.pid')};`,
        'error_log stderr warn;',
        'events {}',
        'http {',
        '    access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `    ${kind}_temp_path ${join(dir, kind)};`,
        ),
        translation,
        '}',
        '',
      ].join('\n'),
    args: (file, dir) => ['-p', dir, '-c', file, '-g', 'daemon off;'],
  },
};

/** True when the balancer's binary is installed. */
export function isInstalled(name: ExternalBalancerName): boolean {
  try {
    execFileSync(dialects[name].binary, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A running HAProxy or nginx in front of the stack's instances. */
export interface ExternalBalancer extends Balancer {
  /** The public URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
}

/**
 * Starts `name` with the translation of `config` (the lab proxy config of the running stack) on a free port.
 * Changing a pool rewrites the translation and restarts the balancer, as an operator would reload it.
 */
export async function startExternalBalancer(
  name: ExternalBalancerName,
  config: ProxyConfig,
): Promise<ExternalBalancer> {
  if (!isInstalled(name))
    throw new LabError('balancer_unavailable', `${name} is not installed (Debian: apt-get install ${name})`);
  const dir = mkdtempSync(join(tmpdir(), `stickiness-lab-${name}-`));
  const port = await freePort();
  const current: ProxyConfig = structuredClone({ ...config, listener: { host: '127.0.0.1', port } });
  const dialect = dialects[name];
  const translator = translators.get(name);
  if (!translator) throw new LabError('balancer_unavailable', `no translation to ${name}`);
  let child: ManagedChild | undefined;

  const start = async () => {
    const file = join(dir, `${name}.conf`);
    writeFileSync(file, dialect.file(translator.translate(current), dir));
    child = new ManagedChild({ name, command: dialect.binary, args: dialect.args(file, dir) });
    const probe = current.rules[0];
    await waitForHttp(`http://127.0.0.1:${port}${probe?.path ?? ''}/healthz`).catch(async (error: Error) => {
      const output = child?.recentOutput() ?? '';
      await child?.kill();
      throw new LabError('process_failed', `${name} did not start: ${error.message}${output ? `\n${output}` : ''}`);
    });
  };
  const notHere = (operation: string) => async () => {
    throw new LabError('balancer_unavailable', `${operation} is not available when the balancer is ${name}`);
  };
  await start();

  return {
    name,
    url: `http://127.0.0.1:${port}`,
    async stickiness() {
      // what the balancer really does for the lab's setting, e.g. `nginx ip_hash` for lb-cookie
      return new Map(
        Object.entries(current.pools).map(([pool, settings]) => {
          const label = stickinessLabel(settings.stickiness);
          return [pool, `${name} ${dialect.labels[label] ?? label}`];
        }),
      );
    },
    async patchPool(pool, patch) {
      const settings = current.pools[pool];
      if (!settings) throw new LabError('unknown_pool', `no pool "${pool}"`);
      const { weights, ...changes } = poolPatchSchema.parse(patch);
      Object.assign(settings, changes);
      if (weights) for (const target of settings.targets) target.weight = weights[target.id] ?? target.weight;
      await child?.stop();
      await start();
    },
    async instances(pool) {
      return (current.pools[pool]?.targets ?? []).map((target) => target.id);
    },
    drain: notHere('drain'),
    undrain: notHere('undrain'),
    waitForHealthy: notHere('waiting for the balancer to see an instance healthy'),
    async release() {
      await child?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
