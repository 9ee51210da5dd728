// The control port's HTTP server: admin API, events, metrics, the status page, and whatever routes the proxy's starter
// mounts beside them (the lab's console); never reachable through the public listener.
import http from 'node:http';
import express, { type Router } from 'express';
import { ProxyError, sendError } from '../errors.ts';
import type { Fleet } from '../pool/fleet.ts';
import { adminApi, jsonErrors } from './admin-api.ts';
import type { EventStream } from './event-stream.ts';
import { labGuard } from './lab-guard.ts';
import type { ProxyMetrics } from './metrics.ts';
import { statusPage } from './status-page.ts';

/** What routes mounted on the control port from outside the proxy may use. */
export interface ControlContext {
  /** The pools and targets: drain, undrain, read state. */
  readonly fleet: Fleet;
  /** The public listener on this machine, e.g. `http://127.0.0.1:8080` (known once it listens). */
  publicUrl(): string;
  /** Peers whose X-Forwarded-* the proxy believes (config `trustedProxies`). */
  readonly trustedProxies: readonly string[];
}

/** A link the status page shows beside its own, to a page the mounted routes serve. */
export interface ControlLink {
  path: string;
  label: string;
}

/** What a starter of the proxy mounts on its control port. */
export interface ControlMount {
  /** Routes beside the admin API, behind the same guard; errors they leave unanswered get the port's JSON answer. */
  router: Router;
  /** Links for the status page, e.g. to a console. */
  links?: readonly ControlLink[];
}

/** Builds what to mount on the control port, once the proxy's fleet exists. */
export type ControlRoutes = (context: ControlContext) => ControlMount;

/** Who may use the control port. */
export interface ControlAccess {
  /**
   * Host names besides loopback the control port answers to (config `control.allowedHosts` and `LAB_ALLOWED_HOSTS`).
   */
  allowedHosts: readonly string[];
}

/** Builds the control server (not yet listening). */
export function createControlServer(
  fleet: Fleet,
  metrics: ProxyMetrics,
  events: EventStream,
  access: ControlAccess,
  mounted?: ControlMount,
): http.Server {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(labGuard({ listener: 'control port', allowedHosts: access.allowedHosts }));
  // The status page and the console ask for an icon; an empty answer keeps the browser's console clean.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).set({ 'content-type': 'image/x-icon', 'cache-control': 'max-age=86400' }).end();
  });
  app.get('/api/events', (_req, res) => events.attach(res));
  if (mounted) app.use(mounted.router);
  app.use('/api', adminApi(fleet));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/', (_req, res) => {
    res.type('html').send(statusPage(fleet, mounted?.links));
  });
  app.use(() => {
    throw new ProxyError('not_found');
  });
  app.use(jsonErrors);
  const server = http.createServer(app);
  // Node answers an Expect other than 100-continue with a bare 417 unless told otherwise.
  server.on('checkExpectation', (_req, res: http.ServerResponse) => sendError(res, 'expectation_failed'));
  return server;
}
