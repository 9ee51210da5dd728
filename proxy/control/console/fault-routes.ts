// `/api/console/faults` and `/api/console/services`: every fault button of the console, in the words of `npm run
// fault`.
import express, { type Router } from 'express';
import { z } from 'zod';
// The fault CLI's words for what happened, so the console and `npm run fault` say the same.
import { actionDone } from '../../../scripts/orchestrators/driver.ts';
import { formatDuration } from '../../config/duration.ts';
import { describeIssues, identifier } from '../../config/schema.ts';
import { ProxyError } from '../../errors.ts';
import type { Fleet } from '../../pool/fleet.ts';
import type { LabInfo } from '../control-server.ts';
import { ConsoleError } from './console-error.ts';
import {
  manualCommands,
  type ProcessAction,
  processActions,
  type ScaleAction,
  scaleActions,
  whyNotHere,
} from './manual-commands.ts';
import { callSupervisor } from './supervisor-link.ts';

const faultSchema = z.strictObject({
  action: z.enum([...processActions, ...scaleActions, 'drain', 'undrain']),
  /** An instance id or `redis`; a pool for scale-out and scale-in. */
  target: identifier,
});

/** The routes; drain and undrain act on the proxy itself, the rest through the lab's supervisor (with its secret). */
export function faultRoutes(fleet: Fleet, labInfo: () => LabInfo, supervisorSecret: string | undefined): Router {
  const router = express.Router();

  router.get('/services', async (_req, res) => {
    const lab = labInfo();
    if (lab.orchestrator !== 'native')
      throw new ConsoleError(409, 'orchestrator_unavailable', whyNotHere(lab, 'faults'));
    const answer = await callSupervisor(lab, supervisorSecret, 'GET', '/api/services');
    res.status(answer.status).json(answer.body);
  });

  router.post('/faults', async (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) throw new ProxyError('invalid_body', undefined, describeIssues(parsed.error));
    const { action, target } = parsed.data;
    if (action === 'drain' || action === 'undrain') {
      const instance = fleet.target(target);
      const pool = fleet.pool(instance.pool);
      if (action === 'drain') pool.drain(instance);
      else pool.undrain(instance);
      const message =
        action === 'drain'
          ? `${target} is draining: no new sessions, bound sessions for ${formatDuration(pool.settings.deregistrationDelay)} (the pool's deregistrationDelay)`
          : `${target} is back in rotation`;
      res.json({ message });
      return;
    }
    const lab = labInfo();
    if (lab.orchestrator !== 'native') {
      throw new ConsoleError(409, 'orchestrator_unavailable', whyNotHere(lab, 'faults'), {
        commands: manualCommands(lab, action, target),
      });
    }
    const path = isScale(action) ? `/api/pools/${target}/${action}` : `/api/services/${target}/${action}`;
    const answer = await callSupervisor(lab, supervisorSecret, 'POST', path);
    if (answer.status >= 400) {
      res.status(answer.status).json(answer.body);
      return;
    }
    const service = answer.body as { id: string; state: string; port?: number };
    const message = isScale(action)
      ? action === 'scale-out'
        ? `${service.id} started on port ${service.port} and registered with the proxy in pool ${target}`
        : `${service.id} removed from pool ${target} and stopped`
      : `${service.id} ${actionDone[action]}; the process is now ${service.state}`;
    res.json({ message, service });
  });

  return router;
}

function isScale(action: ProcessAction | ScaleAction): action is ScaleAction {
  return action === 'scale-out' || action === 'scale-in';
}
