// The lab's routes on the proxy's control port: `GET /api/lab`, the console's page at /console/, the shops mirrored
// under /console/public/, and the /api/console routes behind its fault buttons and scenario panel.
import express from 'express';
import type { LabInfo } from '../../contract/wire.ts';
import type { ControlContext, ControlMount, ControlRoutes } from '../../proxy/control/control-server.ts';
import { labErrors } from '../errors.ts';
import type { LabOptions } from '../lab-options.ts';
import { faultRoutes } from './fault-routes.ts';
import { publicMirror } from './public-mirror.ts';
import { scenarioRoutes } from './scenario-routes.ts';
import { sentinelView } from './sentinel-view.ts';
import { consoleFiles } from './static-files.ts';
import { SupervisorLink } from './supervisor-link.ts';

/** What `GET /api/lab` says, from the lab's options and the running proxy. */
export function labInfo(lab: LabOptions, context: ControlContext): LabInfo {
  return {
    orchestrator: lab.orchestrator,
    supervisorUrl: lab.orchestrator === 'native' ? (lab.supervisorUrl ?? null) : null,
    publicUrl: lab.publicUrl ?? context.publicUrl(),
    trustedProxies: [...context.trustedProxies],
  };
}

/** Every lab route, for the proxy's `controlRoutes` start option. */
export function labControlRoutes(lab: LabOptions): ControlRoutes {
  return (context: ControlContext): ControlMount => {
    const info = () => labInfo(lab, context);
    const supervisor = new SupervisorLink(info, lab.supervisorSecret);
    // strict: "/console" and "/console/" are different routes, so the redirect cannot loop.
    const router = express.Router({ strict: true });
    router.get('/api/lab', (_req, res) => {
      res.json(info());
    });
    // The page's relative links need the trailing slash.
    router.get('/console', (_req, res) => res.redirect(302, '/console/'));
    router.use(publicMirror(() => info().publicUrl));
    router.use('/console', consoleFiles());
    router.use(
      '/api/console',
      express.json({ limit: '4kb' }),
      faultRoutes(context.fleet, supervisor, lab.redisSentinels ? sentinelView(lab.redisSentinels) : undefined),
      scenarioRoutes(supervisor),
    );
    router.use(labErrors('next'));
    return { router, links: [{ path: '/console/', label: 'lab console' }] };
  };
}
