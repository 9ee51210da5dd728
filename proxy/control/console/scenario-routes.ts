// `/api/console/scenarios`: list the scenario suite, run one through the supervisor and read its verdict table.
import express, { type Router } from 'express';
import { z } from 'zod';
import { describeIssues } from '../../config/schema.ts';
import { ProxyError } from '../../errors.ts';
import type { LabInfo } from '../control-server.ts';
import { ConsoleError } from './console-error.ts';
import { whyNotHere } from './manual-commands.ts';
import { callSupervisor } from './supervisor-link.ts';

const runSchema = z.strictObject({
  /** `own`: a fresh stack of its own on free ports; `this`: the running lab, so the console shows it live. */
  lab: z.enum(['own', 'this']),
});
const scenarioName = /^[a-z0-9-]{1,64}$/;

/** The routes; they need the native supervisor, which runs the scenarios in the demo's process. */
export function scenarioRoutes(labInfo: () => LabInfo, supervisorSecret: string | undefined): Router {
  const router = express.Router();
  const supervisorOnly = (): LabInfo => {
    const lab = labInfo();
    if (lab.orchestrator !== 'native') {
      const compose = lab.orchestrator === 'compose' ? ' --compose' : '';
      throw new ConsoleError(409, 'orchestrator_unavailable', whyNotHere(lab, 'scenarios'), {
        commands: [`npm run scenario -- instance-crash${compose}`, 'npm run scenario -- --all'],
      });
    }
    return lab;
  };

  router.get('/scenarios', async (_req, res) => {
    const answer = await callSupervisor(supervisorOnly(), supervisorSecret, 'GET', '/api/scenarios');
    res.status(answer.status).json(answer.body);
  });

  router.get('/scenarios/run', async (_req, res) => {
    const answer = await callSupervisor(supervisorOnly(), supervisorSecret, 'GET', '/api/scenarios/run');
    res.status(answer.status).json(answer.body);
  });

  router.post('/scenarios/:name/run', async (req, res) => {
    const name = req.params.name;
    if (!scenarioName.test(name)) throw new ConsoleError(404, 'unknown_scenario', `No scenario is named "${name}".`);
    const parsed = runSchema.safeParse(req.body);
    if (!parsed.success) throw new ProxyError('invalid_body', undefined, describeIssues(parsed.error));
    const answer = await callSupervisor(
      supervisorOnly(),
      supervisorSecret,
      'POST',
      `/api/scenarios/${name}/run`,
      parsed.data,
    );
    res.status(answer.status).json(answer.body);
  });

  return router;
}
