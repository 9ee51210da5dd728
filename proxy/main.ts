// `npm run proxy -- --config FILE [--port N] [--control-port N]`: the proxy alone, with no lab routes.
import { runProxyCommand } from './cli.ts';

await runProxyCommand();
