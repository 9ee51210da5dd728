// `/api/console/scenarios`: list the scenario suite, run one through the supervisor and read its verdict table.
import express, { type Router } from 'express';
import { z } from 'zod';
import { describeIssues } from '../../proxy/config/schema.ts';
import { LabError } from '../errors.ts';
import type { SupervisorLink } from './supervisor-link.ts';

const runSchema = z.strictObject({
  /** `own`: a fresh stack of its own on free ports; `this`: the running lab, so the console shows it live. */
  lab: z.enum(['own', 'this']),
});
const scenarioName = /^[a-z0-9-]{1,64}$/;

/** The routes; they need the native supervisor, which runs the scenarios in the demo's process. */
export function scenarioRoutes(supervisor: SupervisorLink): Router {
  const router = express.Router();
  // Under Compose or for a proxy started by hand: the commands that run scenarios from a terminal instead.
  const checkSupervisor = () => {
    const compose = supervisor.lab().orchestrator === 'compose' ? ' --compose' : '';
    supervisor.url('scenarios', {
      commands: [`npm run scenario -- instance-crash${compose}`, 'npm run scenario -- --all'],
    });
  };

  router.get('/scenarios', async (_req, res) => {
    checkSupervisor();
    const answer = await supervisor.call('scenarios', 'GET', '/api/scenarios');
    res.status(answer.status).json(answer.body);
  });

  router.get('/scenarios/run', async (_req, res) => {
    checkSupervisor();
    const answer = await supervisor.call('scenarios', 'GET', '/api/scenarios/run');
    res.status(answer.status).json(answer.body);
  });

  router.post('/scenarios/:name/run', async (req, res) => {
    const name = req.params.name;
    if (!scenarioName.test(name)) throw new LabError('unknown_scenario', `No scenario is named "${name}".`);
    const parsed = runSchema.safeParse(req.body);
    if (!parsed.success) throw new LabError('invalid_body', undefined, describeIssues(parsed.error));
    checkSupervisor();
    const answer = await supervisor.call('scenarios', 'POST', `/api/scenarios/${name}/run`, parsed.data);
    res.status(answer.status).json(answer.body);
  });

  return router;
}
