// Bundles an entry point once per change, so that starting nine instances costs nine Node start-ups, not nine
// TypeScript loads.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { LabError } from '../../lab/errors.ts';
import { projectRoot } from './project-root.ts';

// Inside node_modules so that the bundle's bare imports (express, ioredis, …) resolve to the project's packages.
const cacheDir = join(projectRoot, 'node_modules', '.cache', 'stickiness-lab');
const bundles = new Map<string, Promise<string>>();

/** How every entry point is bundled, here and for the container image (`npm run build`): npm packages stay imports. */
export const bundleOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'silent',
};

/**
 * The path of a plain-JavaScript bundle of `entry` (relative to the project root), built on first use.
 * Named by content hash, so concurrent builders (test workers) agree and an unchanged entry is never rebuilt.
 */
export function bundledEntry(entry: string): Promise<string> {
  let pending = bundles.get(entry);
  if (!pending) {
    pending = buildBundle(entry);
    bundles.set(entry, pending);
  }
  return pending;
}

async function buildBundle(entry: string): Promise<string> {
  // imported here: the container image runs these tools without esbuild (a dev dependency)
  const { build } = await import('esbuild');
  const result = await build({ ...bundleOptions, entryPoints: [join(projectRoot, entry)], write: false });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new LabError('internal_error', `bundling ${entry} produced no output`);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(cacheDir, `${basename(entry, '.ts')}-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return file;
}
