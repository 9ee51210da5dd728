// Serves the console's HTML, CSS and browser modules as they are on disk: no build step, no bundler.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';
import { LabError } from '../errors.ts';

const FROM_PROJECT_ROOT = 'lab/console/static';

/**
 * Where the console's files are: next to this module when the lab proxy runs from source, or under the working
 * directory when it runs as a bundle (the demo's cached bundle and the container's dist/lab-proxy.mjs both start in
 * the project root, like the config paths they are given).
 */
export function consoleDirectory(): string | undefined {
  const candidates = [fileURLToPath(new URL('./static/', import.meta.url)), join(process.cwd(), FROM_PROJECT_ROOT)];
  return candidates.find((directory) => existsSync(join(directory, 'index.html')));
}

// The console only ever loads its own files and talks to its own origin.
const securityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The static handler for `/console/`, or a JSON 503 that says where the files were looked for. */
export function consoleFiles(): RequestHandler {
  const directory = consoleDirectory();
  if (!directory) {
    return () => {
      throw new LabError(
        'console_unavailable',
        `The console's files are missing: expected ${FROM_PROJECT_ROOT}/index.html next to the lab's sources ` +
          'or under its working directory.',
      );
    };
  }
  return express.static(directory, {
    index: 'index.html',
    fallthrough: true,
    setHeaders: (res) => {
      res.setHeader('cache-control', 'no-cache');
      for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    },
  });
}
