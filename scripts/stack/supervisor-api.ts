// The native supervisor's small HTTP API on 127.0.0.1: how the fault CLI and the console act on processes.
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import { processActions, StackError, type NativeStack, type ProcessAction } from './native-stack.ts';

const statusOf: Record<StackError['code'], number> = { unknown_target: 404, unknown_pool: 404, not_possible: 409 };

/** Routes: `GET /api/services`, `POST /api/services/:id/:action`, `POST /api/pools/:pool/scale-out|scale-in`. */
export function supervisorApp(getStack: () => NativeStack | undefined): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const stack = () => {
    const current = getStack();
    if (!current) throw new StackError('not_possible', 'the stack is still starting');
    return current;
  };

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
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `Nothing at ${req.method} ${req.path}.` } });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (error instanceof StackError) {
      res.status(statusOf[error.code]).json({ error: { code: error.code, message: error.message } });
    } else {
      res.status(500).json({ error: { code: 'internal_error', message: error instanceof Error ? error.message : String(error) } });
    }
  };
  app.use(onError);
  return app;
}

/** Listens on 127.0.0.1 (a free port unless given) and resolves with the server and its URL. */
export function listenSupervisor(app: express.Express, port = 0): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}` });
    });
    server.once('error', reject);
  });
}
