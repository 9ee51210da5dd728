// The admin API of the control port: read targets and pools, change pools, drain, scale out and in.
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { z } from 'zod';
import { describeIssues, healthCheckTimeoutFits, poolPatchSchema, targetSchema } from '../config/schema.ts';
import { ProxyError } from '../errors.ts';
import type { Fleet } from '../pool/fleet.ts';
import { poolView, targetView } from './views.ts';

/** Parses `body` with `schema` or throws a 400 `invalid_body` that lists every problem. */
function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body);
  if (!result.success) throw new ProxyError('invalid_body', undefined, describeIssues(result.error));
  return result.data;
}

/** The `/api` routes. */
export function adminApi(fleet: Fleet): Router {
  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));

  api.get('/targets', (_req, res) => {
    const rows = [...fleet.pools.values()].flatMap((pool) => {
      const bound = pool.stickiness.boundSessions(Date.now());
      return pool.targets.map((target) => targetView(target, bound === undefined ? null : (bound.get(target.id) ?? 0)));
    });
    res.json(rows);
  });

  api.get('/pools', (_req, res) => {
    res.json([...fleet.pools.values()].map(poolView));
  });

  api.get('/pools/:pool', (req, res) => {
    res.json(poolView(fleet.pool(req.params.pool)));
  });

  api.patch('/pools/:pool', (req, res) => {
    const pool = fleet.pool(req.params.pool);
    const patch = parseBody(poolPatchSchema, req.body);
    const problems = Object.keys(patch.weights ?? {})
      .filter((id) => pool.get(id) === undefined)
      .map((id) => `weights.${id}: expected a target of pool "${pool.name}"`);
    if (
      patch.healthCheck !== undefined &&
      !healthCheckTimeoutFits({ ...pool.settings.healthCheck, ...patch.healthCheck })
    ) {
      problems.push(
        'healthCheck.timeout: expected a timeout no longer than the interval ' +
          `(${pool.settings.healthCheck.interval} ms unless changed too)`,
      );
    }
    if (problems.length > 0) throw new ProxyError('invalid_body', undefined, problems);
    const changes = pool.reconfigure(patch);
    res.json({ changes, pool: poolView(pool) });
  });

  api.post('/pools/:pool/targets', (req, res) => {
    const pool = fleet.pool(req.params.pool);
    const target = fleet.addTarget(pool.name, parseBody(targetSchema, req.body));
    res.status(201).json(targetView(target));
  });

  api.delete('/targets/:id', (req, res) => {
    res.json(targetView(fleet.removeTarget(req.params.id)));
  });

  api.post('/targets/:id/drain', (req, res) => {
    const target = fleet.target(req.params.id);
    fleet.pool(target.pool).drain(target);
    res.json(targetView(target));
  });

  api.post('/targets/:id/undrain', (req, res) => {
    const target = fleet.target(req.params.id);
    fleet.pool(target.pool).undrain(target);
    res.json(targetView(target));
  });

  return api;
}

/** Turns whatever a route threw into the JSON error table's answer; never HTML, never a stack trace. */
export const jsonErrors: ErrorRequestHandler = (error, _req, res, _next) => {
  const type = (error as { type?: unknown }).type;
  const known =
    error instanceof ProxyError
      ? error
      : type === 'entity.parse.failed'
        ? new ProxyError('invalid_json')
        : type === 'entity.too.large'
          ? new ProxyError('payload_too_large')
          : new ProxyError('internal_error');
  res.status(known.status).json(known.toBody());
};
