// The compose driver issues exactly the docker commands a person would type, and registers scaled instances with the
// proxy.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { COMPOSE_FILE, composeFiles, composeServices } from '../../scripts/lab-client/discover.ts';
import { ProxyAdmin } from '../../scripts/lab-client/proxy-admin.ts';
import { type CommandResult, ComposeDriver } from '../../scripts/orchestrators/compose.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { type ProxyProcess, startProxyProcess } from '../../scripts/process/proxy-process.ts';

/** Records each `docker …` argument list instead of running it: there is no Docker engine to run it on here. */
function recordingDocker(
  answer: CommandResult | ((command: string) => CommandResult) = { code: 0, stdout: '', stderr: '' },
) {
  const calls: string[] = [];
  return {
    calls,
    run: async (args: readonly string[]) => {
      const command = `docker ${args.join(' ')}`;
      calls.push(command);
      return typeof answer === 'function' ? answer(command) : answer;
    },
  };
}

/** What `docker compose ps --quiet` and `docker inspect` print for a container of the project `lab`. */
function containerAnswers(command: string): CommandResult {
  if (command.includes(' ps --quiet ')) return { code: 0, stdout: 'c0ffee\n', stderr: '' };
  if (command.startsWith('docker inspect ')) return { code: 0, stdout: 'lab\n', stderr: '' };
  if (command.includes('relay-toxic.mjs latency')) return { code: 0, stdout: '{"latency":{"ms":800}}\n', stderr: '' };
  return { code: 0, stdout: '{}\n', stderr: '' };
}

describe('compose driver', () => {
  let proxy: ProxyProcess;
  let admin: ProxyAdmin;
  const config = join(tmpdir(), `compose-driver-${process.pid}.yaml`);

  beforeAll(async () => {
    // a real proxy whose pools name the compose services, so that scale-out registration is checked for real
    writeFileSync(
      config,
      stringify({
        listener: { host: '127.0.0.1', port: 0 },
        control: { port: 0 },
        rules: [
          { path: '/memory', pool: 'memory' },
          { path: '/jwt', pool: 'jwt' },
        ],
        pools: { memory: { targets: [] }, jwt: { targets: [] } },
      }),
    );
    proxy = await startProxyProcess({ configPath: config });
    admin = new ProxyAdmin(proxy.controlUrl);
  });
  afterAll(async () => {
    await proxy?.child.stop();
    rmSync(config, { force: true });
  });

  it.each([
    ['crash', 'memory-2', 'docker compose --file COMPOSE kill -s SIGKILL memory-2'],
    ['stop', 'redis-1', 'docker compose --file COMPOSE stop redis-1'],
    ['start', 'redis', 'docker compose --file COMPOSE start redis'],
    ['restart', 'jwt-3', 'docker compose --file COMPOSE restart jwt-3'],
    ['pause', 'memory-1', 'docker compose --file COMPOSE pause memory-1'],
    ['resume', 'memory-1', 'docker compose --file COMPOSE unpause memory-1'],
  ] as const)('%s %s runs `%s`', async (action, target, command) => {
    const docker = recordingDocker();
    const driver = new ComposeDriver({ files: [COMPOSE_FILE], services: composeServices(), admin, run: docker.run });
    const said = await driver.act(action, target);
    expect(docker.calls).toEqual([command.replace('COMPOSE', COMPOSE_FILE)]);
    expect(said).toContain(target);
  });

  it('cuts a container off the project network and connects it again under its service name', async () => {
    const docker = recordingDocker(containerAnswers);
    const driver = new ComposeDriver({ files: [COMPOSE_FILE], services: composeServices(), admin, run: docker.run });
    expect(await driver.network('memory-2', true)).toBe(
      'memory-2 cut off the network (docker network disconnect lab_default c0ffee)',
    );
    expect(docker.calls).toEqual([
      `docker compose --file ${COMPOSE_FILE} ps --quiet memory-2`,
      'docker inspect --format {{index .Config.Labels "com.docker.compose.project"}} c0ffee',
      'docker network disconnect lab_default c0ffee',
    ]);
    expect(await driver.network('memory-2', false)).toContain('back on the network');
    expect(docker.calls.at(-1)).toBe('docker network connect --alias memory-2 lab_default c0ffee');
  });

  it('sets the toxics of the redis-relay service with docker compose exec, one in place of another', async () => {
    const docker = recordingDocker(containerAnswers);
    const driver = new ComposeDriver({ files: [COMPOSE_FILE], services: composeServices(), admin, run: docker.run });
    const exec = `docker compose --file ${COMPOSE_FILE} exec -T redis-relay node dist/relay-toxic.mjs`;
    expect(await driver.redisToxic({ name: 'latency', ms: 800 })).toBe(
      'redis slowed (latency toxic): every Redis answer reaches the redis shops 800 ms late ' +
        '(toxic on the relay: latency 800 ms)',
    );
    await driver.redisToxic({ name: 'stall' });
    expect(await driver.redisToxic(null)).toContain('toxic on the relay: none');
    expect(docker.calls).toEqual([`${exec} latency 800`, `${exec} stall`, `${exec} clear`]);
  });

  it('refuses an unknown service before asking Docker, naming the ones there are', async () => {
    const docker = recordingDocker();
    const driver = new ComposeDriver({ files: [COMPOSE_FILE], services: composeServices(), admin, run: docker.run });
    await expect(driver.act('crash', 'memory-9')).rejects.toThrow(
      /no service "memory-9"; the compose lab runs jwt-1, .*redis-3/,
    );
    await expect(driver.act('crash', 'proxy')).rejects.toThrow(/no service "proxy"/);
    await expect(driver.act('crash', 'redis-primary')).rejects.toThrow(/the compose lab runs a single Redis/);
    await expect(driver.act('crash', 'redis-node-2')).rejects.toThrow(/compose.replicated.yaml/);
    await expect(driver.redisFailover()).rejects.toThrow(/the compose lab runs a single Redis/);
    expect(docker.calls).toEqual([]);
  });

  it('takes the compose files from COMPOSE_FILE as docker compose does, relative to the project', () => {
    expect(composeFiles({})).toEqual([COMPOSE_FILE]);
    expect(composeFiles({ COMPOSE_FILE: 'compose.yaml:compose.replicated.yaml' })).toEqual([
      COMPOSE_FILE,
      join(projectRoot, 'compose.replicated.yaml'),
    ]);
    expect(composeFiles({ COMPOSE_FILE: 'compose.yaml;/x/y.yaml', COMPOSE_PATH_SEPARATOR: ';' })).toEqual([
      COMPOSE_FILE,
      '/x/y.yaml',
    ]);
  });

  it('with compose.replicated.yaml: finds the primary and fails over through a Sentinel; refuses slow', async () => {
    let primary = 'redis';
    const docker = recordingDocker((command) => {
      if (command.includes('GET-MASTER-ADDR-BY-NAME')) return { code: 0, stdout: `${primary}\n6379\n`, stderr: '' };
      if (command.endsWith('SENTINEL FAILOVER cart')) {
        primary = 'redis-node-2';
        return { code: 0, stdout: 'OK\n', stderr: '' };
      }
      return { code: 0, stdout: '', stderr: '' };
    });
    const files = composeFiles({ COMPOSE_FILE: 'compose.yaml:compose.replicated.yaml' });
    const driver = new ComposeDriver({ files, services: composeServices(files), admin, run: docker.run });
    const compose = `docker compose ${files.map((file) => `--file ${file}`).join(' ')}`;
    const askPrimary = `${compose} exec -T redis-sentinel-1 redis-cli -p 26379 SENTINEL GET-MASTER-ADDR-BY-NAME cart`;

    expect(await driver.act('crash', 'redis-primary')).toBe(
      'redis-primary is redis: redis crashed (SIGKILL) (docker compose kill -s SIGKILL redis)',
    );
    expect(docker.calls).toEqual([askPrimary, `${compose} kill -s SIGKILL redis`]);
    expect(await driver.redisFailover()).toBe('redis failed over: redis-node-2 is primary now, redis a replica');
    expect(docker.calls.slice(2)).toEqual([
      askPrimary,
      `${compose} exec -T redis-sentinel-1 redis-cli -p 26379 SENTINEL FAILOVER cart`,
      askPrimary,
    ]);
    await expect(driver.redisToxic({ name: 'stall' })).rejects.toThrow(/this compose lab runs a replicated one/);
  });

  it('scales out by starting the profiled instance and registering it with the proxy, and back in', async () => {
    const docker = recordingDocker();
    const driver = new ComposeDriver({ files: [COMPOSE_FILE], services: composeServices(), admin, run: docker.run });
    await driver.scale('out', 'memory');
    expect(docker.calls).toEqual([`docker compose --file ${COMPOSE_FILE} --profile scale up --detach --wait memory-4`]);
    expect((await admin.targets()).map((target) => [target.id, target.url])).toContainEqual([
      'memory-4',
      'http://memory-4:3000',
    ]);

    await driver.scale('in', 'memory');
    expect(docker.calls.at(-1)).toBe(`docker compose --file ${COMPOSE_FILE} --profile scale stop memory-4`);
    expect((await admin.targets()).some((target) => target.id === 'memory-4')).toBe(false);
  });

  it('reports a failed docker command with its last error line', async () => {
    const docker = recordingDocker({
      code: 1,
      stdout: '',
      stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n',
    });
    const driver = new ComposeDriver({ files: [COMPOSE_FILE], services: composeServices(), admin, run: docker.run });
    await expect(driver.act('stop', 'jwt-1')).rejects.toThrow(
      'docker compose stop jwt-1 failed: Cannot connect to the Docker daemon',
    );
  });
});
