// compose.yaml, checked by a real Compose parser, and kept equal to the native topology (proxy/config/demo.yaml).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../proxy/config/load.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { DEMO_CONFIG, loadTopology } from '../../scripts/stack/topology.ts';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  init?: boolean;
  environment?: Record<string, string>;
  ports?: (string | { target: number; published: number | string; host_ip?: string })[];
  volumes?: (string | { source?: string; target?: string })[];
  healthcheck?: { test?: string[] };
  profiles?: string[];
  depends_on?: Record<string, { condition?: string }>;
}

/** `docker-compose config` (Debian's docker-compose; .ci/run installs it): the file as Compose itself reads it. */
function composeConfig(...extra: string[]): {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
} {
  const output = execFileSync('docker-compose', ['--file', 'compose.yaml', ...extra, 'config'], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: {
      ...process.env,
      SESSION_SECRET: '',
      JWT_SECRET: '',
      PROXY_COOKIE_SECRET: '',
      PROXY_PORT: '',
      CONTROL_PORT: '',
    },
  });
  return parse(output) as { services: Record<string, ComposeService> };
}

const topology = loadTopology(DEMO_CONFIG);
const instances = topology.instances.map((instance) => instance.id).sort();

describe('compose.yaml', () => {
  it('is valid for Compose (docker-compose config -q exits 0)', () => {
    expect(() =>
      execFileSync('docker-compose', ['--file', 'compose.yaml', 'config', '-q'], { cwd: projectRoot, stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('runs the services of the native topology: redis, the proxy, and each instance in its mode', () => {
    const { services } = composeConfig();
    const always = Object.entries(services)
      .filter(([, service]) => !service.profiles?.length)
      .map(([name]) => name);
    expect(always.sort()).toEqual([...instances, 'proxy', 'redis', 'redis-relay'].sort());
    for (const instance of topology.instances) {
      const service = services[instance.id];
      expect(service?.command).toEqual(['node', 'dist/cart.mjs']);
      expect(service?.environment).toMatchObject({
        SESSION_MODE: instance.mode,
        INSTANCE_ID: instance.id,
        PORT: '3000',
      });
      // started after Redis's relay, not held back by its health: an instance without Redis answers 503 until it is
      // there; the redis shops reach Redis only through the relay, whose toxics the slow-Redis faults set
      if (instance.mode === 'redis') {
        expect(service?.depends_on?.['redis-relay']?.condition).toBe('service_started');
        expect(service?.environment?.REDIS_URL).toBe('redis://redis-relay:6379');
      }
    }
  });

  it('runs the relay in front of Redis from the lab image, with its control port on its own loopback only', () => {
    const { services } = composeConfig();
    const relay = services['redis-relay'];
    expect(relay?.command).toEqual(['node', 'dist/redis-relay.mjs']);
    expect(relay?.image).toBe(services.proxy?.image);
    expect(relay?.environment?.RELAY_UPSTREAM).toBe('redis:6379');
    expect(relay?.depends_on?.redis?.condition).toBe('service_started');
    expect(relay?.ports ?? []).toEqual([]);
  });

  it('defines one extra instance per pool for scale-out, only under the "scale" profile', () => {
    const { services } = composeConfig('--profile', 'scale');
    const pools = [...new Set(topology.instances.map((instance) => instance.pool))];
    const scaled = Object.entries(services)
      .filter(([, service]) => service.profiles?.includes('scale'))
      .map(([name]) => name);
    expect(scaled.sort()).toEqual(pools.map((pool) => `${pool}-4`).sort());
    for (const pool of pools)
      expect(services[`${pool}-4`]?.environment).toMatchObject({ SESSION_MODE: pool, INSTANCE_ID: `${pool}-4` });
  });

  it(
    'publishes 8080 on every interface and the control port on 127.0.0.1 only; ' +
      'the proxy starts after the instances without waiting for their health',
    () => {
      const { services } = composeConfig();
      const ports = (services.proxy?.ports ?? []).map((port) =>
        (typeof port === 'string'
          ? port
          : `${port.host_ip ? `${port.host_ip}:` : ''}${port.published}:${port.target}`
        ).replace(/\/tcp$/, ''),
      );
      expect(ports.sort()).toEqual(['127.0.0.1:8081:8081', '8080:8080']);
      expect(
        Object.entries(services.proxy?.depends_on ?? {})
          .map(([name, dependency]) => `${name}:${dependency.condition}`)
          .sort(),
      ).toEqual(instances.map((id) => `${id}:service_started`));
      for (const [name, service] of Object.entries(services)) {
        if (name === 'proxy') continue;
        expect(service.ports ?? [], `${name} publishes nothing`).toEqual([]);
      }
    },
  );

  it(
    'checks the proxy and Redis without starting Node, leaves the instances to ' +
      "the proxy's checks, runs init everywhere and mounts no Docker socket",
    () => {
      const { services } = composeConfig('--profile', 'scale');
      expect(services.proxy?.healthcheck?.test).toEqual(['CMD', 'lab-healthcheck', '8081', '/api/lab']);
      expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
      for (const [name, service] of Object.entries(services)) {
        if (name !== 'proxy' && name !== 'redis')
          expect(service.healthcheck, `${name} has no Docker health check`).toBeUndefined();
        expect(service.init, `${name} runs with init`).toBe(true);
        expect(JSON.stringify(service.volumes ?? [])).not.toContain('docker.sock');
      }
      const redisVolumes = services.redis?.volumes?.map((volume) =>
        typeof volume === 'string' ? volume.replace(/:rw$/, '') : `${volume.source}:${volume.target}`,
      );
      expect(redisVolumes).toEqual(['redis-data:/data']);
    },
  );

  it('takes secrets from the environment, with demo defaults', () => {
    const defaults = composeConfig();
    expect(defaults.services['jwt-1']?.environment?.JWT_SECRET).toBe('demo-jwt-secret-change-me');
    const output = execFileSync('docker-compose', ['--file', 'compose.yaml', 'config'], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { ...process.env, JWT_SECRET: 'a-workshop-secret-of-our-own' },
    });
    expect(
      (parse(output) as { services: Record<string, ComposeService> }).services['jwt-2']?.environment?.JWT_SECRET,
    ).toBe('a-workshop-secret-of-our-own');
  });
});

describe('compose.replicated.yaml over compose.yaml', () => {
  it('sends every redis shop, the scaled one too, to the Sentinels, which watch a primary with two replicas', () => {
    const { services } = composeConfig('--file', 'compose.replicated.yaml', '--profile', 'scale');
    const redisShops = Object.entries(services).filter(([, service]) => service.environment?.SESSION_MODE === 'redis');
    expect(redisShops.map(([name]) => name).sort()).toEqual(['redis-1', 'redis-2', 'redis-3', 'redis-4']);
    for (const [, shop] of redisShops)
      expect(shop.environment?.REDIS_SENTINELS).toBe(
        'redis-sentinel-1:26379,redis-sentinel-2:26379,redis-sentinel-3:26379',
      );
    for (const sentinel of ['redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'])
      expect(services[sentinel]?.command?.join(' ')).toContain('--sentinel');
    // each data server announces its service name, the address the Sentinels hand to the shops
    expect(services.redis?.command).toEqual(expect.arrayContaining(['--replica-announce-ip', 'redis']));
    for (const replica of ['redis-node-2', 'redis-node-3'])
      expect(services[replica]?.command?.join(' ')).toContain(
        `--replicaof redis 6379 --replica-announce-ip ${replica}`,
      );
  });
});

describe('proxy/config/compose.yaml', () => {
  it('has the pools and settings of demo.yaml, with each target addressed by its compose service name', () => {
    const demo = loadConfig(DEMO_CONFIG);
    const compose = loadConfig(`${projectRoot}proxy/config/compose.yaml`);
    expect(compose.rules).toEqual(demo.rules);
    expect(Object.keys(compose.pools)).toEqual(Object.keys(demo.pools));
    for (const [name, pool] of Object.entries(demo.pools)) {
      const { targets, ...settings } = pool;
      const { targets: composeTargets, ...composeSettings } = compose.pools[name]!;
      expect(composeSettings).toEqual(settings);
      expect(composeTargets).toEqual(targets.map((target) => ({ ...target, url: `http://${target.id}:3000` })));
    }
    expect(composeConfig().services.proxy?.environment?.LAB_ORCHESTRATOR).toBe('compose');
  });
});
