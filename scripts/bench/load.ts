// Drives keep-alive load with autocannon; each connection is one client with its own cookie jar, so stickiness works as
// for browsers.
import autocannon from 'autocannon';

/**
 * The cookie each simulated client sends from the start: nginx hashes it (`hash $cookie_benchclient`), the others
 * ignore it.
 */
export const CLIENT_COOKIE = 'benchclient';

/** How much load, for how long. */
export interface LoadOptions {
  url: string;
  connections: number;
  /** Run for this long… */
  seconds?: number;
  /** …or until this many requests have been answered. */
  amount?: number;
  /** What each connection sends, in turn (default: GET of `url`); paths are absolute, base path included. */
  requests?: autocannon.Request[];
  /**
   * The cookies connection `index` starts with (a session prepared beforehand), instead of a client cookie of its own.
   */
  startingCookies?: (index: number) => ReadonlyMap<string, string>;
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
  /** What `errors` were, in words (`2 answered 502, 1 timed out`), or '' without any. */
  errorsInWords: string;
  /** Bytes of the `Cookie` header sent, and of `Set-Cookie` values received, per answered request. */
  cookieBytes: number;
  setCookieBytes: number;
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

/** Cookie bytes seen by one load run. */
interface CookieTally {
  sent: number;
  received: number;
}

/**
 * Gives each connection its own client cookie (or the `startingCookies` of a session prepared for it) and keeps
 * the cookies answers set (`LABLB`, `SRV`, a session or cart token), like a browser; counts cookie bytes both ways.
 */
function cookieJar(options: LoadOptions, tally: CookieTally): (client: autocannon.Client) => void {
  let connection = 0;
  return (client) => {
    const jar = new Map<string, string>(
      options.startingCookies?.(connection++) ?? [[CLIENT_COOKIE, String(++clientCount)]],
    );
    const value = () => [...jar].map(([name, cookie]) => `${name}=${cookie}`).join('; ');
    let sent = value();
    // one request: its headers are set again when a cookie changes; several: each is rebuilt with the jar before it
    // goes
    if (options.requests) {
      client.setRequests(
        options.requests.map((request) => ({
          ...request,
          setupRequest: (built) => ({ ...built, headers: { ...built.headers, cookie: sent } }),
        })),
      );
    } else {
      client.setHeaders({ cookie: sent });
    }
    client.on('headers', (parsed: unknown) => {
      const raw = (parsed as ParsedHeaders).headers;
      // with one request in flight per connection, the cookie sent is the one set before this answer
      tally.sent += sent.length;
      let changed = false;
      for (let index = 0; index < raw.length; index += 2) {
        if (raw[index]!.toLowerCase() !== 'set-cookie') continue;
        tally.received += raw[index + 1]!.length;
        const pair = raw[index + 1]!.split(';', 1)[0]!;
        const equals = pair.indexOf('=');
        const name = pair.slice(0, equals).trim();
        const cookie = pair.slice(equals + 1).trim();
        if (jar.get(name) !== cookie) {
          jar.set(name, cookie);
          changed = true;
        }
      }
      if (!changed) return;
      sent = value();
      if (!options.requests) client.setHeaders({ cookie: sent });
    });
  };
}

/** How long a request may wait for its answer before autocannon counts it as timed out. */
const TIMEOUT_SECONDS = 10;

/** Starts a load run against `options.url`. */
export function startLoad(options: LoadOptions): LoadRun {
  let answered = 0;
  let failures = 0;
  const cookies: CookieTally = { sent: 0, received: 0 };
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
      timeout: TIMEOUT_SECONDS,
      ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.seconds ?? 10 }),
      setupClient: cookieJar(options, cookies),
    },
    (error, result) => (error ? fail(error) : settle(figures(result, cookies))),
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

function figures(result: autocannon.Result, cookies: CookieTally): LoadFigures {
  const requests = result.requests.total;
  const seconds = result.duration;
  return {
    requests,
    seconds,
    rps: seconds > 0 ? requests / seconds : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // autocannon counts a timeout among its errors too
    errors: result.non2xx + result.errors,
    errorsInWords: [
      ...Object.entries(result.statusCodeStats ?? {})
        .filter(([status]) => !status.startsWith('2'))
        .map(([status, stats]) => `${stats.count ?? 0} answered ${status}`),
      ...(result.timeouts > 0 ? [`${result.timeouts} timed out after ${TIMEOUT_SECONDS} s`] : []),
      ...(result.errors - result.timeouts > 0 ? [`${result.errors - result.timeouts} transport errors`] : []),
    ].join(', '),
    cookieBytes: requests > 0 ? cookies.sent / requests : 0,
    setCookieBytes: requests > 0 ? cookies.received / requests : 0,
  };
}
