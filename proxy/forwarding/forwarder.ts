// Forwards public requests over each target's keep-alive agent (node:http), retrying on another target when a connection fails; upgrades go through http-proxy-3.
import http, { type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import { type ProxyErrorCode, rawErrorAnswer, sendError } from '../errors.ts';
import type { Pool } from '../pool/pool.ts';
import type { Target } from '../pool/target.ts';
import { decide } from '../routing/decide.ts';
import type { RoutedRequest } from '../routing/routed-request.ts';
import { headerObject, HeaderList } from '../stickiness/answer-headers.ts';
import { classifyFailure, failureCode, meansTargetDown, safeToRetry, UPSTREAM_TIMEOUT } from './failure.ts';
import { answerHeaders, upstreamHeaders } from './header-lists.ts';
import type { ForwardObserver } from './observer.ts';
import { hasBody, isReplayable, readBody } from './request-body.ts';

/** Forwards requests that a rule has already assigned to a pool. */
export interface Forwarder {
  /** Forwards `req` (whose `pool` is set) and answers `res`, whatever happens. */
  web(req: RoutedRequest, res: ServerResponse): void;
  /** Forwards a WebSocket upgrade, pinned to a target exactly like a plain request. */
  ws(req: RoutedRequest, socket: Duplex, head: Buffer): void;
}

/** Creates the forwarder; `observer` hears about every answer, refusal and retry. */
export function createForwarder(observer: ForwardObserver, log: Logger): Forwarder {
  // Only upgrades use http-proxy-3: they are rare, long-lived and need its socket plumbing, not speed.
  const upgrades = createProxyServer({ xfwd: true });

  // http-proxy-3 throws on errors nobody listens to; per-request callbacks get the real ones.
  upgrades.on('error', (error) => log.debug({ err: error }, 'proxy error without a request callback'));

  upgrades.on('proxyReqWs', (outbound, incoming) => {
    const req = incoming as RoutedRequest;
    outbound.prependListener('upgrade', (answer: IncomingMessage) => {
      answer.headers['x-upstream'] = req.upstream!.id;
      if (req.reason !== undefined) answer.headers['x-upstream-reason'] = req.reason;
      req.pool!.stickiness.bind?.(req, req.upstream!, headerObject(answer.headers), Date.now());
    });
  });

  function attempt(req: RoutedRequest, res: ServerResponse): void {
    const pool = req.pool!;
    const decision = decide(pool, req, Date.now());
    if (typeof decision === 'string') {
      refuse(pool, req, res, decision);
      return;
    }
    hold(req, decision);
    if (req.attempts === 1) res.once('close', onAnswerClosed);
    send(req, res, decision, pool.settings.timeout);
  }

  /** One attempt on `target`: the request with its raw header list, the body kept or streamed, the answer relayed. */
  function send(req: RoutedRequest, res: ServerResponse, target: Target, timeoutMs: number): void {
    const outbound = http.request({
      agent: target.agent,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: (req.upstreamHeaders ??= upstreamHeaders(req, target.host)),
    });
    req.outbound = outbound;
    outbound.setTimeout(timeoutMs, endSilentUpstream);
    outbound.on('response', (answer: IncomingMessage) => relay(req, res, target, answer));
    outbound.on('error', (error: Error) => onForwardError(error, req, res, target));
    if (req.body !== undefined) outbound.end(req.body);
    else if (req.replayable) outbound.end();
    else req.pipe(outbound);
  }

  /** Sends the target's answer on to the client with the proxy's headers, respecting back-pressure. */
  function relay(req: RoutedRequest, res: ServerResponse, target: Target, answer: IncomingMessage): void {
    const headers = new HeaderList(answerHeaders(answer.rawHeaders));
    headers.append('x-upstream', target.id);
    if (req.reason !== undefined) headers.append('x-upstream-reason', req.reason);
    const stickiness = req.pool!.stickiness;
    const now = Date.now();
    stickiness.learn?.(req, target, headers, now);
    stickiness.bind?.(req, target, headers, now);
    res.writeHead(answer.statusCode!, answer.statusMessage || undefined, headers.list);
    answer.on('data', (chunk: Buffer) => {
      if (res.write(chunk)) return;
      answer.pause();
      res.once('drain', () => answer.resume());
    });
    answer.on('end', () => res.end());
    // A target that dies in the middle of a body leaves the client waiting unless the answer is cut too.
    answer.on('error', () => res.destroy());
  }

  function onForwardError(error: Error, req: RoutedRequest, res: ServerResponse, target: Target): void {
    // A late error of an attempt that is already over (the client left, or a retry took over).
    if (req.upstream !== target) return;
    const pool = req.pool!;
    const kind = classifyFailure(error as NodeJS.ErrnoException);
    letGo(req, target, true);
    if (meansTargetDown(kind)) pool.setHealth(target, 'down', `${(error as NodeJS.ErrnoException).code ?? error.message} while forwarding`);
    if (req.socket.destroyed || res.destroyed) return;
    (req.failed ??= []).push(target);
    const retries = pool.settings.retries;
    const inTime = performance.now() - req.startedAt <= retries.within;
    if (req.attempts <= retries.count && inTime && !res.headersSent && req.replayable && safeToRetry(kind, req.method)) {
      observer.retried(pool, target, kind);
      attempt(req, res);
      return;
    }
    const code = failureCode(kind);
    observer.refused(pool, code);
    sendError(res, code);
  }

  function refuse(pool: Pool, req: RoutedRequest, res: ServerResponse, code: ProxyErrorCode): void {
    // Every eligible target failed this very request: that is an unreachable upstream, not an empty pool.
    const answer = code === 'no_healthy_target' && req.failed !== undefined && pool.eligible().length > 0 ? 'upstream_unreachable' : code;
    observer.refused(pool, answer);
    if (req.reason !== undefined && !res.headersSent) res.setHeader('x-upstream-reason', req.reason);
    sendError(res, answer);
  }

  function onAnswerClosed(this: ServerResponse): void {
    const req = this.req as RoutedRequest;
    const target = req.upstream;
    if (target === undefined) return;
    letGo(req, target, this.statusCode >= 500);
    observer.answered(req.pool!, target, this.statusCode, (performance.now() - req.startedAt) / 1_000, req.reason);
    // The client left before its answer ended: the target's work is no longer wanted.
    if (!this.writableFinished) req.outbound?.destroy();
  }

  function upgradeFailed(socket: Duplex, code: ProxyErrorCode): void {
    if (socket.writable) socket.end(rawErrorAnswer(code));
    socket.destroy();
  }

  return {
    web(req, res) {
      req.startedAt = performance.now();
      if (!hasBody(req)) {
        attempt(req, res);
      } else if (isReplayable(req)) {
        readBody(req, () => attempt(req, res));
      } else {
        req.replayable = false;
        attempt(req, res);
      }
    },

    ws(req, socket, head) {
      req.startedAt = performance.now();
      const pool = req.pool!;
      const decision = decide(pool, req, Date.now());
      if (typeof decision === 'string') {
        observer.refused(pool, decision);
        upgradeFailed(socket, decision);
        return;
      }
      hold(req, decision);
      socket.once('close', () => {
        if (req.upstream !== undefined) letGo(req, req.upstream, false);
      });
      upgrades.ws(req, socket, head, { target: decision.url }, (error) => {
        const kind = classifyFailure(error as NodeJS.ErrnoException);
        if (meansTargetDown(kind) && req.upstream !== undefined) pool.setHealth(req.upstream, 'down', `${(error as NodeJS.ErrnoException).code} while upgrading`);
        observer.refused(pool, failureCode(kind));
        upgradeFailed(socket, failureCode(kind));
      });
    },
  };
}

/** Counts the attempt on `target` as in flight. */
function hold(req: RoutedRequest, target: Target): void {
  req.upstream = target;
  req.attempts++;
  target.inflight++;
  target.requests++;
}

/** Ends the attempt on `target`; a removed target closes its sockets once idle. */
function letGo(req: RoutedRequest, target: Target, failed: boolean): void {
  req.upstream = undefined;
  target.inflight--;
  if (failed) target.errors++;
  if (target.removed) target.releaseSocketsWhenIdle();
}

/** Ends an outgoing request whose target stayed silent longer than the pool's timeout. */
function endSilentUpstream(this: ClientRequest): void {
  this.destroy(Object.assign(new Error('the target did not answer in time'), { code: UPSTREAM_TIMEOUT }));
}
