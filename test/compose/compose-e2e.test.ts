// The containerised lab end to end: docker compose up, a cart in each shop, the serving memory instance killed.
// It needs a Docker engine; where none answers it is reported as skipped with the reason (the only test allowed to skip).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DockerComposeEnvironment, Wait } from 'testcontainers';
import { COMPOSE_FILE, composeServices } from '../../scripts/lab/discover.ts';
import { ProxyAdmin } from '../../scripts/lab/proxy-admin.ts';
import { ComposeDriver } from '../../scripts/orchestrators/compose.ts';
import { freePort } from '../../scripts/process/free-port.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { ShopClient } from '../../scripts/shopper/shop-client.ts';

/** Undefined when a Docker engine answers, else why not. */
function noEngineReason(): string | undefined {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 15_000 });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim().split('\n').at(-1);
    return stderr || (error as Error).message;
  }
}

describe('docker compose lab', () => {
  it('loses the memory cart when its container is killed, while the redis and jwt carts survive', { timeout: 600_000 }, async (context) => {
    const reason = noEngineReason();
    if (reason) context.skip(`no Docker engine answers here (${reason})`);

    const projectName = `stickiness-lab-e2e-${process.pid}`;
    const proxyPort = await freePort();
    const controlPort = await freePort();
    const environment = await new DockerComposeEnvironment(projectRoot, 'compose.yaml')
      .withProjectName(projectName)
      .withBuild()
      .withEnvironment({ PROXY_PORT: String(proxyPort), CONTROL_PORT: String(controlPort) })
      .withWaitStrategy('proxy-1', Wait.forHealthCheck())
      .up();
    try {
      const shop = (pool: string) => new ShopClient(`http://127.0.0.1:${proxyPort}/${pool}`);
      const [memory, redis, jwt] = [shop('memory'), shop('redis'), shop('jwt')];
      const added = await memory.add('kettle', 1);
      expect(added.status).toBe(200);
      expect((await redis.add('kettle', 1)).status).toBe(200);
      expect((await jwt.add('kettle', 1)).status).toBe(200);

      const admin = new ProxyAdmin(`http://127.0.0.1:${controlPort}`);
      const driver = new ComposeDriver({ file: COMPOSE_FILE, projectName, services: composeServices(), admin });
      await driver.act('crash', added.servedBy as string);

      const after = await memory.getCart();
      expect(after.status).toBe(200);
      expect(after.servedBy).not.toBe(added.servedBy);
      expect(after.body.items).toEqual([]);
      expect((await redis.getCart()).body.count).toBe(1);
      expect((await jwt.getCart()).body.count).toBe(1);
    } finally {
      await environment.down({ removeVolumes: true });
    }
  });
});
