// The control port's HTTP server: admin API, events, metrics and the status page; never reachable through the public listener.
import http from 'node:http';
import express from 'express';
import { ProxyError } from '../errors.ts';
import type { Fleet } from '../pool/fleet.ts';
import { adminApi, jsonErrors } from './admin-api.ts';
import type { EventStream } from './event-stream.ts';
import type { ProxyMetrics } from './metrics.ts';
import { statusPage } from './status-page.ts';

/** What `GET /api/lab` tells tools about the lab around this proxy. */
export interface LabInfo {
  orchestrator: 'native' | 'compose' | null;
  supervisorUrl: string | null;
  publicUrl: string;
}

/** Builds the control server (not yet listening). */
export function createControlServer(fleet: Fleet, metrics: ProxyMetrics, events: EventStream, labInfo: () => LabInfo): http.Server {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/api/events', (_req, res) => events.attach(res));
  app.get('/api/lab', (_req, res) => {
    res.json(labInfo());
  });
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
