// The soak: a million sticky requests through the proxy while clients hang up early and a backend is killed and
// restarted every few seconds; the proxy's RSS, heap, sockets and event-loop delay at the start, every 100,000
// requests and at the end show whether anything grows.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type ProxyProcess, startProxyProcess } from '../process/proxy-process.ts';
import { waitUntil } from '../process/wait.ts';
import { type BackendSet, startBackends } from './backends.ts';
import { runLoad, startLoad } from './load.ts';
import { rssMb, socketCount } from './process-stats.ts';
import { round } from './report.ts';

/** How a soak runs. */
export interface SoakPlan {
  requests: number;
  connections: number;
  /** A backend is killed (SIGKILL) and started again this often. */
  killEverySeconds: number;
  /** A sample every this many answered requests. */
  sampleEvery: number;
  workDir: string;
}

/** The proxy process at one moment. */
export interface SoakSample {
  /** Answered requests of the measured run so far. */
  requests: number;
  rssMb: number;
  heapUsedMb: number;
  sockets: number;
  /** The proxy's own event-loop delay, 99th percentile since the previous sample. */
  eventLoopDelayP99Ms: number;
}

/** What a soak measured. */
export interface SoakFigures {
  requests: number;
  seconds: number;
  /** The first sample is after warm-up with the proxy idle; the last after the run, idle again. */
  samples: SoakSample[];
  kills: number;
  /** Clients that hung up before their answer was complete. */
  hangups: number;
  /** Non-2xx answers and transport errors the load generator saw: requests the kills cut. */
  lost: number;
  /** The lost requests by status code (503: every backend down at once; 502: a kill cut the answer) or `transport`. */
  lostByKind: Record<string, number>;
  /** RSS at the end within 10 % of the start, and the socket count back to the start. */
  verdict: { rssWithin10Percent: boolean; socketsBack: boolean };
}

const WARMUP_REQUESTS = 20_000;
/** Idle upstream sockets close after 4 s (forwarder.ts); the counts are taken once they have. */
const IDLE_SETTLE_MS = 5_000;
/** Early hang-ups run on this many connections at a time beside the load. */
const HANGUP_CLIENTS = 4;

/** Runs the soak against the lab proxy with lb-cookie stickiness in front of three echo backends. */
export async function runSoak(plan: SoakPlan, progress: (message: string) => void): Promise<SoakFigures> {
  const backends = await startBackends('echo');
  let proxy: ProxyProcess | undefined;
  try {
    proxy = await startStickyProxy(backends, plan.workDir);
    const url = `${proxy.url}${backends.path}`;
    progress(`soak: warming up with ${WARMUP_REQUESTS.toLocaleString('en')} requests`);
    await runLoad({ url, connections: plan.connections, amount: WARMUP_REQUESTS });
    const samples = [await idleSample(proxy, 0)];
    progress(
      `soak: ${plan.requests.toLocaleString('en')} sticky requests, ` +
        `a backend killed every ${plan.killEverySeconds} s, ${HANGUP_CLIENTS} clients hanging up early`,
    );

    const started = performance.now();
    const load = startLoad({ url, connections: plan.connections, amount: plan.requests });
    const killer = killEvery(backends, proxy, plan.killEverySeconds * 1_000);
    const hangups = hangUpEarly(proxy.port, backends.path);
    let next = plan.sampleEvery;
    const sampler = setInterval(() => {
      if (load.answered() < next || next >= plan.requests) return;
      const at = next;
      next += plan.sampleEvery;
      void sample(proxy as ProxyProcess, at).then((taken) => {
        samples.push(taken);
        progress(`soak: ${describe(taken)}`);
      });
    }, 100);
    const figures = await load.done;
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1_000;
    const kills = await killer.stop();
    const hungUp = await hangups.stop();
    const last = await idleSample(proxy, figures.requests);
    samples.push(last);
    samples.sort((a, b) => a.requests - b.requests);
    const first = samples[0] as SoakSample;
    return {
      requests: figures.requests,
      seconds: round(seconds, 1),
      samples,
      kills,
      hangups: hungUp,
      lost: load.failures(),
      lostByKind: load.failuresByKind(),
      verdict: { rssWithin10Percent: last.rssMb <= first.rssMb * 1.1, socketsBack: last.sockets <= first.sockets },
    };
  } finally {
    await proxy?.child.stop(5_000);
    await backends.close();
  }
}

/** The soak as a table, one row per sample, and the verdict. */
export function soakTable(figures: SoakFigures): string {
  const rows = figures.samples.map((taken, index) => {
    const label =
      index === 0 ? 'start' : index === figures.samples.length - 1 ? 'end' : taken.requests.toLocaleString('en');
    return (
      `${label.padStart(10)}  ${taken.rssMb.toFixed(1).padStart(7)}  ${taken.heapUsedMb.toFixed(1).padStart(7)}  ` +
      `${String(taken.sockets).padStart(7)}  ${taken.eventLoopDelayP99Ms.toFixed(1).padStart(8)}`
    );
  });
  return [
    `soak: ${figures.requests.toLocaleString('en')} sticky requests in ${figures.seconds} s, ` +
      `${figures.kills} backend kills, ${figures.hangups.toLocaleString('en')} early hang-ups, ` +
      `${figures.lost} requests lost${lostKinds(figures.lostByKind)}`,
    '  requests   RSS MB  heap MB  sockets  ELD p99 ms',
    ...rows,
    `RSS at the end within 10 % of the start: ${figures.verdict.rssWithin10Percent ? 'yes' : 'NO'}; ` +
      `sockets back to the start: ${figures.verdict.socketsBack ? 'yes' : 'NO'}`,
  ].join('\n');
}

function lostKinds(byKind: Record<string, number>): string {
  const kinds = Object.entries(byKind).map(
    ([kind, count]) => `${count} ${kind === 'transport' ? 'transport errors' : `× ${kind}`}`,
  );
  return kinds.length === 0 ? '' : ` (${kinds.join(', ')})`;
}

function describe(taken: SoakSample): string {
  return (
    `${taken.requests.toLocaleString('en')} requests: RSS ${taken.rssMb.toFixed(1)} MB, ` +
    `heap ${taken.heapUsedMb.toFixed(1)} MB, ${taken.sockets} sockets, ` +
    `event-loop delay p99 ${taken.eventLoopDelayP99Ms.toFixed(1)} ms`
  );
}

async function startStickyProxy(backends: BackendSet, workDir: string): Promise<ProxyProcess> {
  const configPath = join(workDir, 'soak-proxy.yaml');
  writeFileSync(
    configPath,
    stringify({
      listener: { host: '127.0.0.1', port: 0 },
      control: { host: '127.0.0.1', port: 0 },
      rules: [{ path: '/jwt', pool: 'jwt' }],
      pools: {
        jwt: {
          stickiness: { type: 'lb-cookie' },
          healthCheck: { path: '/healthz', interval: '1s', timeout: '1s', healthyThreshold: 2, unhealthyThreshold: 2 },
          targets: backends.backends.map((backend) => ({ id: backend.id, url: `http://127.0.0.1:${backend.port}` })),
        },
      },
    }),
  );
  return startProxyProcess({
    configPath,
    port: 0,
    controlPort: 0,
    env: { PROXY_COOKIE_SECRET: 'soak-cookie-secret-0123456789' },
  });
}

/** One sample: RSS and sockets from /proc, heap and event-loop delay from the proxy's own metrics. */
async function sample(proxy: ProxyProcess, requests: number): Promise<SoakSample> {
  const pid = proxy.child.pid as number;
  const metrics = await (await fetch(`${proxy.controlUrl}/metrics`)).text();
  const metric = (name: string) =>
    Number(new RegExp(`^proxy_process_${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);
  return {
    requests,
    rssMb: round(rssMb(pid), 1),
    heapUsedMb: round(metric('nodejs_heap_size_used_bytes') / 2 ** 20, 1),
    // the metrics request's own socket is not the proxy's: counted before it would be, and it is closed by then anyway
    sockets: socketCount(pid),
    eventLoopDelayP99Ms: round(metric('nodejs_eventloop_lag_p99_seconds') * 1_000, 1),
  };
}

/**
 * A sample once the proxy has been idle long enough for its idle upstream sockets to close and its socket count to
 * settle.
 */
async function idleSample(proxy: ProxyProcess, requests: number): Promise<SoakSample> {
  const pid = proxy.child.pid as number;
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  let last = socketCount(pid);
  let stableSince = performance.now();
  await waitUntil(
    () => {
      const now = socketCount(pid);
      if (now !== last) [last, stableSince] = [now, performance.now()];
      return performance.now() - stableSince >= 1_000;
    },
    'the socket count to settle',
    { timeoutMs: 10_000, intervalMs: 100 },
  ).catch(() => undefined);
  return sample(proxy, requests);
}

/**
 * Kills one backend (in turn, SIGKILL) every `everyMs` and starts it again on its port. A tick is skipped while the
 * last
 * one is still coming back (until the proxy sees it healthy), so one backend at most is out at a time, however slow the
 * machine. `stop` waits for the current one and says how many.
 */
function killEvery(backends: BackendSet, proxy: ProxyProcess, everyMs: number): { stop(): Promise<number> } {
  let kills = 0;
  let current: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (current !== undefined) return;
    const index = kills % backends.backends.length;
    kills++;
    current = (async () => {
      const id = backends.backends[index]?.id;
      await backends.backends[index]?.child.kill();
      await backends.restart(index);
      await waitUntil(
        async () => {
          const rows = (await (await fetch(`${proxy.controlUrl}/api/targets`)).json()) as {
            id: string;
            state: string;
          }[];
          return rows.find((row) => row.id === id)?.state === 'healthy';
        },
        `${id} to be healthy again`,
        { timeoutMs: 30_000, intervalMs: 100 },
      ).catch(() => undefined);
    })().finally(() => {
      current = undefined;
    });
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await current;
      return kills;
    },
  };
}

/**
 * Sticky clients that send a request and hang up before the answer is complete; `stop` says how many did. Each keeps
 * the cookie its first answer set, as a browser would, so the hang-ups do not each open a new session.
 */
function hangUpEarly(port: number, path: string): { stop(): Promise<number> } {
  let count = 0;
  let running = true;
  const once = (cookie: string, hangUpFirst: boolean) =>
    new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let head = '';
      const hangUp = () => {
        count++;
        socket.destroy();
      };
      // An answer that never comes must not stall the loop.
      socket.setTimeout(5_000, hangUp);
      socket.once('connect', () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`);
        // Half of them before any answer, half as the first bytes arrive.
        if (hangUpFirst) setImmediate(hangUp);
      });
      socket.once('data', (chunk: Buffer) => {
        head = chunk.toString('latin1');
        hangUp();
      });
      socket.once('error', () => undefined);
      socket.once('close', () => resolve(/^set-cookie: ([^;\r\n]+)/im.exec(head)?.[1] ?? cookie));
    });
  const clients = Array.from({ length: HANGUP_CLIENTS }, async (_, client) => {
    let cookie = '';
    for (let turn = 0; running; turn++) cookie = await once(cookie, cookie !== '' && (turn + client) % 2 === 0);
  });
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
      return count;
    },
  };
}
