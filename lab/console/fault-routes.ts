// `/api/console/faults` and `/api/console/services`: the console's fault buttons, from the fault catalogue and in the
// words of `npm run fault`.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { FaultOutcome, ServiceStatus } from '../../contract/wire.ts';
import { formatDuration } from '../../proxy/config/duration.ts';
import { describeIssues, identifier } from '../../proxy/config/schema.ts';
import type { Fleet } from '../../proxy/pool/fleet.ts';
import type { Target } from '../../proxy/pool/target.ts';
import { NativeDriver } from '../../scripts/orchestrators/native.ts';
import { LabError } from '../errors.ts';
import { faultCatalogue } from '../faults/catalogue.ts';
import { type Fault, faultEntry, orchestratorsOf, type ProxyHands } from '../faults/fault.ts';
import { manualCommands } from './manual-commands.ts';
import type { SupervisorLink } from './supervisor-link.ts';

const consoleFaults = [...faultCatalogue.values()].filter((fault) => fault.console).map((fault) => fault.name);

const faultSchema = z.strictObject({
  action: z.enum(consoleFaults as [string, ...string[]]),
  /** An instance id or `redis`; a pool for scale-out and scale-in. */
  target: identifier,
});

/** The target `id` of the fleet, or a LabError `unknown_target`. */
function targetOf(fleet: Fleet, id: string): Target {
  const target = [...fleet.targets()].find((each) => each.id === id);
  if (!target) throw new LabError('unknown_target', `No target has the id "${id}".`);
  return target;
}

/** Drain and undrain on the proxy in this process. */
function fleetHands(fleet: Fleet): ProxyHands {
  return {
    async drain(id) {
      const target = targetOf(fleet, id);
      const pool = fleet.pool(target.pool);
      pool.drain(target);
      return formatDuration(pool.settings.deregistrationDelay);
    },
    async undrain(id) {
      const target = targetOf(fleet, id);
      fleet.pool(target.pool).undrain(target);
    },
  };
}

/**
 * The routes: faults the proxy carries out act here; the others go to the native supervisor through the same driver
 * as `npm run fault`, or answer 409 `orchestrator_unavailable` with the commands to run on the host. Under Compose the
 * services are what `redisView` reads from the Sentinels of a replicated Redis (none without one).
 */
export function faultRoutes(
  fleet: Fleet,
  supervisor: SupervisorLink,
  redisView?: () => Promise<ServiceStatus[]>,
): Router {
  const router = express.Router();
  const proxy = fleetHands(fleet);

  router.get('/faults', (_req, res) => {
    res.json({ faults: [...faultCatalogue.values()].map(faultEntry) });
  });

  router.get('/services', async (_req, res) => {
    if (supervisor.lab().orchestrator === 'compose') {
      res.json(redisView ? await redisView() : []);
      return;
    }
    const answer = await supervisor.call('faults', 'GET', '/api/services');
    res.status(answer.status).json(answer.body);
  });

  router.post('/faults', async (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) throw new LabError('invalid_body', undefined, describeIssues(parsed.error));
    const { action, target } = parsed.data;
    const fault = faultCatalogue.get(action) as Fault;
    if (fault.via === 'proxy') {
      const outcome: FaultOutcome = { message: await fault.run({ proxy }, target) };
      res.json(outcome);
      return;
    }
    const orchestrator = supervisor.lab().orchestrator;
    if (orchestrator && !orchestratorsOf(fault).includes(orchestrator)) {
      const where = orchestratorsOf(fault).join(' and ');
      throw new LabError('fault_not_here', `${fault.name} works only in the ${where} lab`);
    }
    const url = supervisor.url('faults', { commands: manualCommands(supervisor.lab(), fault, target) });
    const driver = new NativeDriver(url, supervisor.secret ?? '');
    const outcome: FaultOutcome = { message: await fault.run({ proxy, driver }, target) };
    res.json(outcome);
  });

  return router;
}
