// The lab console on the control port: its page at /console/, the shops mirrored under /console/public/, and the
// /api/console routes behind its fault buttons and scenario panel.
import express, { type Router } from 'express';
import type { Fleet } from '../../pool/fleet.ts';
import type { LabInfo } from '../control-server.ts';
import { consoleErrors } from './console-error.ts';
import { faultRoutes } from './fault-routes.ts';
import { publicMirror } from './public-mirror.ts';
import { scenarioRoutes } from './scenario-routes.ts';
import { consoleFiles } from './static-files.ts';

/** Every console route; mount it on the control app before the admin API. `supervisorSecret` opens the supervisor. */
export function consoleRoutes(fleet: Fleet, labInfo: () => LabInfo, supervisorSecret: string | undefined): Router {
  // strict: "/console" and "/console/" are different routes, so the redirect cannot loop.
  const router = express.Router({ strict: true });
  // The page's relative links need the trailing slash.
  router.get('/console', (_req, res) => res.redirect(302, '/console/'));
  router.use(publicMirror(() => labInfo().publicUrl));
  router.use('/console', consoleFiles());
  router.use(
    '/api/console',
    express.json({ limit: '4kb' }),
    faultRoutes(fleet, labInfo, supervisorSecret),
    scenarioRoutes(labInfo, supervisorSecret),
  );
  router.use(consoleErrors);
  return router;
}
