// Forwards public requests and WebSocket upgrades with http-proxy-3, retrying on another target when a connection
// fails.
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import type { Logger } from 'pino';
import { type ProxyErrorCode, rawErrorAnswer, sendError } from '../errors.ts';
import type { Pool } from '../pool/pool.ts';
import type { Target } from '../pool/target.ts';
import { decide } from '../routing/decide.ts';
import type { RoutedRequest } from '../routing/routed-request.ts';
import {
  classifyFailure,
  failureCode,
  isIdempotent,
  mayRetry,
  meansTargetDown,
  safeToRetry,
  UPSTREAM_TIMEOUT,
} from './failure.ts';
import type { ForwardObserver } from './observer.ts';
import { bodyStream, hasBody, isReplayable, readBody } from './request-body.ts';
import { prepareRequestHead } from './request-head.ts';

/** Forwards requests that a rule has already assigned to a pool. */
export interface Forwarder {
  /** Forwards `req` (whose `pool` is set) and answers `res`, whatever happens. */
  web(req: RoutedRequest, res: ServerResponse): void;
  /** Forwards a WebSocket upgrade, pinned to a target exactly like a plain request. */
  ws(req: RoutedRequest, socket: Duplex, head: Buffer): void;
}

/**
 * Creates the forwarder; `observer` hears about every answer, refusal and retry; `trustedProxies` may set
 * `X-Forwarded-Proto`, `-Port` and `-Host`.
 */
export function createForwarder(
  observer: ForwardObserver,
  log: Logger,
  trustedProxies: ReadonlySet<string>,
): Forwarder {
  const proxy = createProxyServer({});

  // http-proxy-3 throws on errors nobody listens to; per-request callbacks get the real ones.
  proxy.on('error', (error) => log.debug({ err: error }, 'proxy error without a request callback'));

  proxy.on('proxyReq', (outbound, incoming) => {
    const req = incoming as RoutedRequest;
    outbound.setTimeout(req.pool!.settings.timeout, endSilentUpstream);
    // may move to another target if this one is marked down before it answers (redispatch.ts)
    if (req.replayable && isIdempotent(req.method)) req.upstream!.awaitingAnswer.add(req, outbound);
  });

  proxy.on('proxyRes', (answer, incoming, res) => {
    const req = incoming as RoutedRequest;
    const target = req.upstream!;
    target.awaitingAnswer.remove(req);
    const headers = answer.headers;
    const now = Date.now();
    // the target's keep-alive terms are for the proxy's connection; the client's are Node's own
    delete headers['keep-alive'];
    delete headers['proxy-connection'];
    headers['x-upstream'] = target.id;
    if (req.reason !== undefined) headers['x-upstream-reason'] = req.reason;
    const stickiness = req.pool!.stickiness;
    stickiness.learn?.(req, target, headers, now);
    stickiness.bind?.(req, target, headers, now);
    // A target that dies in the middle of a body leaves the client waiting unless the answer is cut too.
    answer.once('error', () => res.destroy());
  });

  proxy.on('proxyReqWs', (outbound, incoming) => {
    const req = incoming as RoutedRequest;
    outbound.prependListener('upgrade', (answer: IncomingMessage) => {
      answer.headers['x-upstream'] = req.upstream!.id;
      if (req.reason !== undefined) answer.headers['x-upstream-reason'] = req.reason;
      req.pool!.stickiness.bind?.(req, req.upstream!, answer.headers, Date.now());
    });
    // A target that declines the upgrade answers plainly; http-proxy-3 relays that answer and then closes the client's
    // connection, so the answer must say so, or the client reuses a connection that is already gone.
    outbound.prependListener('response', (answer: IncomingMessage) => {
      answer.headers.connection = 'close';
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
    const options =
      req.body === undefined ? decision.forwardOptions : { ...decision.forwardOptions, buffer: bodyStream(req.body) };
    proxy.web(req, res, options, onForwardError);
  }

  function onForwardError(error: Error, incoming: IncomingMessage, res: ServerResponse | Duplex): void {
    const req = incoming as RoutedRequest;
    const target = req.upstream;
    if (target === undefined) return;
    const pool = req.pool!;
    const kind = classifyFailure(error as NodeJS.ErrnoException);
    letGo(req, target, true);
    if (meansTargetDown(kind))
      pool.setHealth(target, 'down', `${(error as NodeJS.ErrnoException).code ?? error.message} while forwarding`);
    const response = res as ServerResponse;
    if (req.socket.destroyed || response.destroyed) return;
    req.failed ??= [];
    req.failed.push(target);
    if (
      !response.headersSent &&
      safeToRetry(kind, req.method) &&
      mayRetry(req, pool.settings.retries, performance.now())
    ) {
      observer.retried(pool, target, kind);
      attempt(req, response);
      return;
    }
    const code = failureCode(kind);
    observer.refused(pool, code);
    sendError(response, code);
  }

  function refuse(pool: Pool, req: RoutedRequest, res: ServerResponse, code: ProxyErrorCode): void {
    // Every eligible target failed this very request: that is an unreachable upstream, not an empty pool.
    const answer =
      code === 'no_healthy_target' && req.failed !== undefined && pool.eligible().length > 0
        ? 'upstream_unreachable'
        : code;
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
  }

  function upgradeFailed(socket: Duplex, code: ProxyErrorCode): void {
    if (socket.writable) socket.end(rawErrorAnswer(code));
    socket.destroy();
  }

  return {
    web(req, res) {
      req.startedAt = performance.now();
      prepareRequestHead(req, trustedProxies);
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
      prepareRequestHead(req, trustedProxies);
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
      proxy.ws(req, socket, head, { target: decision.url }, (error) => {
        const kind = classifyFailure(error as NodeJS.ErrnoException);
        if (meansTargetDown(kind) && req.upstream !== undefined)
          pool.setHealth(req.upstream, 'down', `${(error as NodeJS.ErrnoException).code} while upgrading`);
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
  target.awaitingAnswer.remove(req);
  target.inflight--;
  if (failed) target.errors++;
  if (target.removed) target.releaseSocketsWhenIdle();
}

/** Ends an outgoing request whose target stayed silent longer than the pool's timeout. */
function endSilentUpstream(this: ClientRequest): void {
  this.destroy(Object.assign(new Error('the target did not answer in time'), { code: UPSTREAM_TIMEOUT }));
}
