// The native supervisor's small HTTP API on 127.0.0.1: how the fault CLI and the console inject catalogued faults and
// run scenarios.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { z } from 'zod';
import type { FaultOutcome, LabInfo, ScenarioEntry, ScenarioRunView } from '../../contract/wire.ts';
import { LabError, labErrors } from '../../lab/errors.ts';
import { faultCatalogue } from '../../lab/faults/catalogue.ts';
import { allowedHostsFromEnv, labGuard } from '../../proxy/control/lab-guard.ts';
import { InProcessDriver } from '../orchestrators/in-process.ts';
import type { ScenarioRow } from '../scenarios/definition.ts';
import { trustsThisMachine } from '../scenarios/labs.ts';
import { scenarios } from '../scenarios/registry.ts';
import { verdictTable } from '../scenarios/report.ts';
import { runScenarios } from '../scenarios/runner.ts';
import type { NativeStack } from './native-stack.ts';
import { newSupervisorSecret } from './supervisor-secret.ts';

/** The scenario run the console asked for last; one runs at a time. */
export interface ScenarioRun extends ScenarioRunView {
  rows: ScenarioRow[];
}

const RUN_LOG_LINES = 20;

/** A fault's settings beside its target (`slow`'s `ms`), as the fault CLI and the console send them. */
const faultSettingsSchema = z.strictObject({ ms: z.number().int().optional() });

/** Who may call the supervisor: the lab's own processes, which know this run's secret. */
export interface SupervisorAccess {
  secret: string;
  /** Host names besides loopback (`LAB_ALLOWED_HOSTS`). */
  allowedHosts?: readonly string[];
}

/**
 * Every route needs `Authorization: Bearer <secret>` and a loopback `Host` (see labGuard).
 * Routes: `GET /api/services`, `POST /api/faults/:fault/:target` (any catalogued fault the native lab can inject;
 * an optional JSON body `{ ms }` for `slow`),
 * `GET /api/scenarios`, `POST /api/scenarios/:name/run` (`{ lab: 'own' | 'this' }`), `GET /api/scenarios/run`.
 */
export function supervisorApp(getStack: () => NativeStack | undefined, access: SupervisorAccess): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(labGuard({ listener: 'supervisor', secret: access.secret, allowedHosts: access.allowedHosts }));
  const stack = () => {
    const current = getStack();
    if (!current) throw new LabError('not_possible', 'the stack is still starting');
    return current;
  };
  let run: ScenarioRun | undefined;

  app.get('/api/services', async (_req, res) => {
    const lab = stack();
    await lab.refreshRedisRoles();
    res.json(lab.services());
  });
  app.post('/api/faults/:fault/:target', express.json({ limit: '4kb' }), async (req, res) => {
    const fault = faultCatalogue.get(req.params.fault);
    if (!fault) {
      throw new LabError(
        'unknown_fault',
        `unknown action "${req.params.fault}"; expected one of ${[...faultCatalogue.keys()].join(', ')}`,
      );
    }
    if (!fault.native) throw new LabError('fault_not_here', `${fault.name} cannot be injected in the native lab`);
    const settings = faultSettingsSchema.safeParse(req.body ?? {});
    if (!settings.success) throw new LabError('invalid_body', 'the body may only hold { ms }, a whole number');
    const lab = stack();
    const driver = new InProcessDriver(lab);
    const message = await fault.run({ proxy: lab.admin, driver }, req.params.target, settings.data);
    const service = lab.services().find((row) => row.id === req.params.target);
    const outcome: FaultOutcome = { message, ...(service && { service }) };
    res.json(outcome);
  });
  app.get('/api/scenarios', async (_req, res) => {
    const trusted = trustsThisMachine(await stack().admin.call<LabInfo>('GET', '/api/lab'));
    res.json({
      scenarios: [...scenarios.values()].map(
        (scenario): ScenarioEntry => ({
          name: scenario.name,
          summary: scenario.summary,
          modes: [...scenario.modes],
          ownStackOnly:
            scenario.stack?.redisPersistence === false ||
            (scenario.stack?.redisRelay === true && !stack().relay) ||
            scenario.stack?.redisReplication !== undefined ||
            (scenario.stack?.clientAddresses === true && !trusted),
        }),
      ),
    });
  });
  app.get('/api/scenarios/run', (_req, res) => {
    res.json({ run: run ?? null });
  });
  app.post('/api/scenarios/:name/run', express.json({ limit: '4kb' }), (req, res) => {
    const scenario = scenarios.get(req.params.name);
    if (!scenario)
      throw new LabError(
        'unknown_scenario',
        `no scenario "${req.params.name}"; the suite has ${[...scenarios.keys()].join(', ')}`,
      );
    if (run?.state === 'running') throw new LabError('not_possible', `${run.name} is still running`);
    const lab = (req.body as { lab?: unknown } | undefined)?.lab === 'this' ? 'this' : 'own';
    const controlUrl = lab === 'this' ? stack().proxy.controlUrl : undefined;
    const current: ScenarioRun = {
      name: scenario.name,
      lab,
      state: 'running',
      startedAt: Date.now(),
      rows: [],
      table: '',
      log: [],
    };
    run = current;
    const log = (line: string) => {
      current.log = [...current.log, line].slice(-RUN_LOG_LINES);
    };
    // runScenarios turns any failure into `failed` rows, so the run always ends with a table.
    void runScenarios([scenario], { controlUrl, log }).then((rows) => {
      current.rows = rows;
      current.table = verdictTable(rows);
      current.state = 'done';
    });
    res.status(202).json(current);
  });
  app.use((req) => {
    throw new LabError('not_found', `Nothing at ${req.method} ${req.path}.`);
  });
  app.use(labErrors('internal'));
  return app;
}

/** A listening supervisor. */
export interface RunningSupervisor {
  readonly url: string;
  /** This run's secret: give it to the proxy (`supervisorSecret` of NativeStack); the CLIs read it from its file. */
  readonly secret: string;
  /** Stops listening, cuts open connections and removes the secret's file. */
  close(): void;
}

/**
 * Listens on 127.0.0.1 (a free port unless given) with a fresh per-run secret, published for this user's CLIs
 * (see supervisor-secret.ts); `allowedHosts` defaults to `LAB_ALLOWED_HOSTS`.
 */
export async function startSupervisor(
  getStack: () => NativeStack | undefined,
  options: { port?: number; allowedHosts?: readonly string[] } = {},
): Promise<RunningSupervisor> {
  const secret = newSupervisorSecret();
  const app = supervisorApp(getStack, {
    secret: secret.secret,
    allowedHosts: options.allowedHosts ?? allowedHostsFromEnv(),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  secret.publish(url);
  return {
    url,
    secret: secret.secret,
    close() {
      secret.remove();
      server.close();
      server.closeAllConnections();
    },
  };
}
