// Drives keep-alive load with autocannon; each connection is one client with its own cookie jar, so stickiness works as for browsers.
import autocannon from 'autocannon';

/** The cookie each simulated client sends from the start: nginx hashes it (`hash $cookie_benchclient`), the others ignore it. */
export const CLIENT_COOKIE = 'benchclient';

/** How much load, for how long. */
export interface LoadOptions {
  url: string;
  connections: number;
  /** Run for this long… */
  seconds?: number;
  /** …or until this many requests have been answered. */
  amount?: number;
}

/** What one load run measured. */
export interface LoadFigures {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers, transport errors and timeouts. */
  errors: number;
}

/** A load run that can be watched while it goes (failover) and awaited for its figures. */
export interface LoadRun {
  /** Answers so far, whatever their status. */
  answered(): number;
  /** Failures so far: non-2xx answers, transport errors and timeouts. */
  failures(): number;
  /** The same failures by kind: the status code of a non-2xx answer, or `transport`. */
  failuresByKind(): Record<string, number>;
  /** Stops early (duration runs) and resolves with the figures. */
  stop(): Promise<LoadFigures>;
  readonly done: Promise<LoadFigures>;
}

/** The raw header list autocannon's HTTP parser hands to a `headers` listener. */
interface ParsedHeaders {
  headers: string[];
}

let clientCount = 0;

/** Gives each connection its own client cookie and keeps the cookies answers set (`LABLB`, `SRV`), like a browser. */
function cookieJar(client: autocannon.Client): void {
  const jar = new Map<string, string>([[CLIENT_COOKIE, String(++clientCount)]]);
  const header = () => ({ cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') });
  client.setHeaders(header());
  client.on('headers', (parsed: unknown) => {
    const raw = (parsed as ParsedHeaders).headers;
    let changed = false;
    for (let index = 0; index < raw.length; index += 2) {
      if (raw[index]!.toLowerCase() !== 'set-cookie') continue;
      const pair = raw[index + 1]!.split(';', 1)[0]!;
      const equals = pair.indexOf('=');
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      if (jar.get(name) !== value) {
        jar.set(name, value);
        changed = true;
      }
    }
    if (changed) client.setHeaders(header());
  });
}

/** Starts a load run against `options.url`. */
export function startLoad(options: LoadOptions): LoadRun {
  let answered = 0;
  let failures = 0;
  const byKind: Record<string, number> = {};
  const count = (kind: string) => {
    failures++;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  };
  let settle: (figures: LoadFigures) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<LoadFigures>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: options.url,
      connections: options.connections,
      pipelining: 1,
      timeout: 10,
      ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.seconds ?? 10 }),
      setupClient: cookieJar,
    },
    (error, result) => (error ? fail(error) : settle(figures(result))),
  );
  instance.on('response', (_client, statusCode) => {
    answered++;
    if (statusCode < 200 || statusCode >= 300) count(String(statusCode));
  });
  instance.on('reqError', () => count('transport'));
  return {
    answered: () => answered,
    failures: () => failures,
    failuresByKind: () => ({ ...byKind }),
    async stop() {
      instance.stop();
      return done;
    },
    done,
  };
}

/** Runs load to the end and returns its figures. */
export function runLoad(options: LoadOptions): Promise<LoadFigures> {
  return startLoad(options).done;
}

function figures(result: autocannon.Result): LoadFigures {
  const requests = result.requests.total;
  const seconds = result.duration;
  return {
    requests,
    seconds,
    rps: seconds > 0 ? requests / seconds : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
