// The control port's HTTP server: admin API, events, metrics and the status page; never reachable through the public listener.
import http from 'node:http';
import express from 'express';
import { ProxyError } from '../errors.ts';
import type { Fleet } from '../pool/fleet.ts';
import { adminApi, jsonErrors } from './admin-api.ts';
import type { EventStream } from './event-stream.ts';
import type { ProxyMetrics } from './metrics.ts';
import { statusPage } from './status-page.ts';

/** Builds the control server (not yet listening). */
export function createControlServer(fleet: Fleet, metrics: ProxyMetrics, events: EventStream): http.Server {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/api/events', (_req, res) => events.attach(res));
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
  app.use(jsonErrors);
  return http.createServer(app);
}
