// `npm run build`: plain-JavaScript bundles of every command in dist/, for the container image (which has no TypeScript
// tooling).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from './process/bundle.ts';
import { projectRoot } from './process/project-root.ts';

/** dist/NAME.mjs for each entry point. */
export const entries: Record<string, string> = {
  cart: 'apps/cart/main.ts',
  proxy: 'proxy/main.ts',
  'lab-proxy': 'lab/main.ts',
  fault: 'scripts/fault.ts',
  scenario: 'scripts/scenario.ts',
  // compose's redis-relay service, and the command the compose driver runs inside it to set its toxics
  'redis-relay': 'scripts/relay/relay-main.ts',
  'relay-toxic': 'scripts/relay/relay-toxic.ts',
};

const outdir = join(projectRoot, 'dist');
rmSync(outdir, { recursive: true, force: true });
await build({
  ...bundleOptions,
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, entry]) => [name, join(projectRoot, entry)])),
  outdir,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
process.stdout.write(
  `built ${Object.keys(entries)
    .map((name) => `dist/${name}.mjs`)
    .join(', ')}\n`,
);
