// The lab's own proxy as a contender, once with round robin and once with lb-cookie stickiness.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { bundledEntry } from '../../process/bundle.ts';
import { ManagedChild } from '../../process/child.ts';
import { listeningRecord } from '../../process/listening-line.ts';
import { projectRoot } from '../../process/project-root.ts';
import { waitUntil } from '../../process/wait.ts';
import type { Contender, ContenderName } from '../contender.ts';
import { nodeCommand, startupTimeoutMs } from '../node-launch.ts';

/** Health checks like HAProxy's `check inter 1s fall 2 rise 2` in the other contenders. */
const HEALTH_CHECK = { path: '/healthz', interval: '1s', timeout: '1s', healthyThreshold: 2, unhealthyThreshold: 2 };

/**
 * Our proxy (one Node process) with pool `jwt` in front of the three backends; `entry` is the bundle to run (default:
 * the working tree's).
 */
function ourProxy(
  name: ContenderName,
  stickiness: Record<string, unknown>,
  entry = () => bundledEntry('proxy/main.ts'),
): Contender {
  return {
    name,
    isProxy: true,
    unavailable: () => undefined,
    async start({ backends, workDir, healthCheckInterval }) {
      const configPath = join(workDir, `${name}.yaml`);
      writeFileSync(
        configPath,
        stringify({
          listener: { host: '127.0.0.1', port: 0 },
          control: { host: '127.0.0.1', port: 0 },
          rules: [{ path: '/jwt', pool: 'jwt' }],
          pools: {
            jwt: {
              algorithm: 'round-robin',
              stickiness,
              healthCheck: { ...HEALTH_CHECK, ...(healthCheckInterval && { interval: healthCheckInterval }) },
              targets: backends.backends.map((backend) => ({
                id: backend.id,
                url: `http://127.0.0.1:${backend.port}`,
              })),
            },
          },
        }),
      );
      const proxy = await launch(name, await entry(), configPath);
      const pid = proxy.child.pid!;
      return {
        url: `${proxy.url}${backends.path}`,
        proxyPids: () => [pid],
        async waitUntilOut(index, timeoutMs) {
          const id = backends.backends[index]!.id;
          try {
            await waitUntil(
              async () => {
                const rows = (await (await fetch(`${proxy.controlUrl}/api/targets`)).json()) as {
                  id: string;
                  state: string;
                }[];
                return rows.find((row) => row.id === id)?.state !== 'healthy';
              },
              `${id} to leave service`,
              { timeoutMs, intervalMs: 5 },
            );
            return performance.now();
          } catch {
            return undefined;
          }
        },
        async stop() {
          await proxy.child.stop(5_000);
        },
      };
    },
  };
}

/** `proxy-rr`: round robin, no stickiness. */
export const proxyRoundRobin = ourProxy('proxy-rr', { type: 'none' });

/** `proxy-sticky`: the proxy's signed lb-cookie (like HAProxy's `cookie insert`). */
export const proxySticky = ourProxy('proxy-sticky', { type: 'lb-cookie' });

/**
 * `proxy-app-cookie`: follows the application's cookie, learnt from the answers' Set-Cookie (the echo backends set
 * `benchsession` once per client; the shop's catalog sets none, so there every request is a new client's).
 */
export const proxyAppCookie = ourProxy('proxy-app-cookie', { type: 'app-cookie', cookieName: 'benchsession' });

/**
 * `proxy-source-ip`: the consistent hash of the client's address; every bench client is 127.0.0.1, so all of them
 * land on one backend, as clients behind one NAT do.
 */
export const proxySourceIp = ourProxy('proxy-source-ip', { type: 'source-ip' });

/**
 * `baseline-sticky`: proxy-sticky run from another bundle of `proxy/main.ts` (e.g. one built from an older
 * commit), so a change to the hot path is measured before and after in the same interleaved rounds.
 */
export function baselineSticky(bundle: string): Contender {
  return ourProxy('baseline-sticky', { type: 'lb-cookie' }, async () => bundle);
}

/** Starts the bundled proxy as the bench's launch mode says and reads its ports from the listening line. */
async function launch(
  name: ContenderName,
  entry: string,
  configPath: string,
): Promise<{ child: ManagedChild; url: string; controlUrl: string }> {
  const child = new ManagedChild({
    name,
    ...nodeCommand(name, [entry, '--config', configPath]),
    cwd: projectRoot,
    env: { ...process.env, PROXY_COOKIE_SECRET: 'bench-cookie-secret-0123456789', LOG_LEVEL: 'warn' },
  });
  try {
    const ports = await child.waitForLine(listeningPorts, 'its listening line', startupTimeoutMs());
    return { child, url: `http://127.0.0.1:${ports.port}`, controlUrl: `http://127.0.0.1:${ports.controlPort}` };
  } catch (error) {
    await child.kill();
    throw error;
  }
}

function listeningPorts(line: string): { port: number; controlPort: number } | undefined {
  const record = listeningRecord(line);
  return typeof record?.port === 'number' && typeof record.controlPort === 'number'
    ? { port: record.port, controlPort: record.controlPort }
    : undefined;
}
