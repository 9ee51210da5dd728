// The native supervisor's small HTTP API on 127.0.0.1: how the fault CLI and the console act on processes and run
// scenarios.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { allowedHostsFromEnv, labGuard } from '../../proxy/control/lab-guard.ts';
import { trustsThisMachine } from '../scenarios/labs.ts';
import { scenarios } from '../scenarios/registry.ts';
import { verdictTable } from '../scenarios/report.ts';
import { runScenarios } from '../scenarios/runner.ts';
import type { ScenarioRow } from '../scenarios/scenario.ts';
import { type NativeStack, type ProcessAction, processActions, StackError } from './native-stack.ts';
import { newSupervisorSecret } from './supervisor-secret.ts';

const statusOf: Record<StackError['code'], number> = {
  unknown_target: 404,
  unknown_pool: 404,
  unknown_scenario: 404,
  not_possible: 409,
};

/** The scenario run the console asked for last; one runs at a time. */
export interface ScenarioRun {
  name: string;
  /** `own`: on a fresh stack of its own; `this`: on this lab, so the console shows it live. */
  lab: 'own' | 'this';
  state: 'running' | 'done';
  startedAt: number;
  rows: ScenarioRow[];
  /** The verdict table as `npm run scenario` prints it. */
  table: string;
  /** The runner's progress lines, the last few. */
  log: string[];
}

const RUN_LOG_LINES = 20;

/** Who may call the supervisor: the lab's own processes, which know this run's secret. */
export interface SupervisorAccess {
  secret: string;
  /** Host names besides loopback (`LAB_ALLOWED_HOSTS`). */
  allowedHosts?: readonly string[];
}

/**
 * Every route needs `Authorization: Bearer <secret>` and a loopback `Host` (see labGuard).
 * Routes: `GET /api/services`, `POST /api/services/:id/:action`, `POST /api/pools/:pool/scale-out|scale-in`,
 * `GET /api/scenarios`, `POST /api/scenarios/:name/run` (`{ lab: 'own' | 'this' }`), `GET /api/scenarios/run`.
 */
export function supervisorApp(getStack: () => NativeStack | undefined, access: SupervisorAccess): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(labGuard({ listener: 'supervisor', secret: access.secret, allowedHosts: access.allowedHosts }));
  const stack = () => {
    const current = getStack();
    if (!current) throw new StackError('not_possible', 'the stack is still starting');
    return current;
  };
  let run: ScenarioRun | undefined;

  app.get('/api/services', (_req, res) => {
    res.json(stack().services());
  });
  app.post('/api/services/:id/:action', async (req, res) => {
    const action = req.params.action as ProcessAction;
    if (!processActions.includes(action)) {
      throw new StackError('not_possible', `unknown action "${action}"; expected one of ${processActions.join(', ')}`);
    }
    res.json(await stack().act(action, req.params.id));
  });
  app.post('/api/pools/:pool/scale-out', async (req, res) => {
    res.json(await stack().scaleOut(req.params.pool));
  });
  app.post('/api/pools/:pool/scale-in', async (req, res) => {
    res.json(await stack().scaleIn(req.params.pool));
  });
  app.get('/api/scenarios', async (_req, res) => {
    const trusted = trustsThisMachine(await stack().admin.call<{ trustedProxies?: string[] }>('GET', '/api/lab'));
    res.json({
      scenarios: [...scenarios.values()].map((scenario) => ({
        name: scenario.name,
        summary: scenario.summary,
        modes: scenario.modes,
        ownStackOnly:
          scenario.stack?.redisPersistence === false ||
          scenario.stack?.redisRelay === true ||
          scenario.stack?.redisReplication !== undefined ||
          (scenario.stack?.clientAddresses === true && !trusted),
      })),
    });
  });
  app.get('/api/scenarios/run', (_req, res) => {
    res.json({ run: run ?? null });
  });
  app.post('/api/scenarios/:name/run', express.json({ limit: '4kb' }), (req, res) => {
    const scenario = scenarios.get(req.params.name);
    if (!scenario)
      throw new StackError(
        'unknown_scenario',
        `no scenario "${req.params.name}"; the suite has ${[...scenarios.keys()].join(', ')}`,
      );
    if (run?.state === 'running') throw new StackError('not_possible', `${run.name} is still running`);
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
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `Nothing at ${req.method} ${req.path}.` } });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (error instanceof StackError) {
      res.status(statusOf[error.code]).json({ error: { code: error.code, message: error.message } });
    } else {
      res
        .status(500)
        .json({ error: { code: 'internal_error', message: error instanceof Error ? error.message : String(error) } });
    }
  };
  app.use(onError);
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
