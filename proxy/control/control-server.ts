// The control port's HTTP server: admin API, events, metrics, the status page and the lab console; never reachable
// through the public listener.
import http from 'node:http';
import express from 'express';
import { ProxyError, sendError } from '../errors.ts';
import type { Fleet } from '../pool/fleet.ts';
import { adminApi, jsonErrors } from './admin-api.ts';
import { consoleErrors } from './console/console-error.ts';
import { consoleRoutes } from './console/console-routes.ts';
import type { EventStream } from './event-stream.ts';
import { labGuard } from './lab-guard.ts';
import type { ProxyMetrics } from './metrics.ts';
import { statusPage } from './status-page.ts';

/** What `GET /api/lab` tells tools about the lab around this proxy. */
export interface LabInfo {
  orchestrator: 'native' | 'compose' | null;
  supervisorUrl: string | null;
  publicUrl: string;
  /**
   * Peers whose X-Forwarded-* the proxy believes: scenarios that play clients behind a front proxy need 127.0.0.1 here.
   */
  trustedProxies: string[];
}

/** Who may use the control port, and the key to the lab's supervisor. */
export interface ControlAccess {
  /**
   * Host names besides loopback the control port answers to (config `control.allowedHosts` and `LAB_ALLOWED_HOSTS`).
   */
  allowedHosts: readonly string[];
  /**
   * The native supervisor's per-run secret (`LAB_SUPERVISOR_SECRET`, set by `npm run demo`); never shown by any route.
   */
  supervisorSecret?: string;
}

/** Builds the control server (not yet listening). */
export function createControlServer(
  fleet: Fleet,
  metrics: ProxyMetrics,
  events: EventStream,
  labInfo: () => LabInfo,
  access: ControlAccess,
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
  app.get('/api/lab', (_req, res) => {
    res.json(labInfo());
  });
  app.use(consoleRoutes(fleet, labInfo, access.supervisorSecret));
  app.use('/api', adminApi(fleet));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/', (_req, res) => {
    res.type('html').send(statusPage(fleet));
  });
  app.use(() => {
    throw new ProxyError('not_found');
  });
  app.use(consoleErrors, jsonErrors);
  const server = http.createServer(app);
  // Node answers an Expect other than 100-continue with a bare 417 unless told otherwise.
  server.on('checkExpectation', (_req, res: http.ServerResponse) => sendError(res, 'expectation_failed'));
  return server;
}
