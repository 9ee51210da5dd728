// The lab proxy: the proxy's own command with the lab's routes (console, faults, scenarios, `GET /api/lab`) mounted on
// its control port. `npm run demo` and the compose proxy container start this; `npm run proxy` serves no console.
import { runProxyCommand } from '../proxy/cli.ts';
import { labControlRoutes } from './console/routes.ts';
import { LAB_ENV, type LabOptions, labOptionsFromEnv } from './lab-options.ts';

const USAGE =
  'usage: tsx lab/main.ts --config FILE [--port N] [--control-port N]  (env: the proxy\u2019s, and ' +
  `${Object.values(LAB_ENV).join(', ')})`;

let lab: LabOptions;
try {
  lab = labOptionsFromEnv();
} catch (error) {
  process.stderr.write(`lab proxy: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
await runProxyCommand({ usage: USAGE, controlRoutes: labControlRoutes(lab) });
