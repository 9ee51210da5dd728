// The demo supervisor's per-run secret: made by `npm run demo`, handed to its proxy in the environment and to the
// CLIs in a file only this user can read, so that no web page, and no other user of the machine, can act on the lab.

import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../lab/errors.ts';

/**
 * The variable that carries the secret to the proxy (never a command-line argument or part of a URL, which end up in
 * logs).
 */
export const SUPERVISOR_SECRET_ENV = 'LAB_SUPERVISOR_SECRET';

/** This run's secret and where the CLIs find it. */
export interface SupervisorSecret {
  readonly secret: string;
  /** Writes the file the CLIs read for the supervisor at `supervisorUrl`. */
  publish(supervisorUrl: string): void;
  /** Removes the file (at the end of the run). */
  remove(): void;
}

/** A fresh random secret; `publish` makes it readable for this user's CLIs once the supervisor's URL is known. */
export function newSupervisorSecret(): SupervisorSecret {
  const secret = randomBytes(32).toString('base64url');
  let file: string | undefined;
  return {
    secret,
    publish(supervisorUrl) {
      file = secretFile(supervisorUrl);
      writeFileSync(file, secret, { mode: 0o600 });
    },
    remove() {
      if (file) rmSync(file, { force: true });
    },
  };
}

/** The secret of the supervisor at `supervisorUrl`, or undefined when this user has none for it. */
export function readSupervisorSecret(supervisorUrl: string): string | undefined {
  try {
    return readFileSync(secretFile(supervisorUrl), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `<tmp>/stickiness-lab-<uid>/supervisor-<port>.secret`, in a directory only this user may enter. */
export function secretFile(supervisorUrl: string): string {
  const dir = join(tmpdir(), `stickiness-lab-${userInfo().uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0))) {
    throw new LabError(
      'secret_not_private',
      `${dir} is not a private directory of this user; remove it and start again`,
    );
  }
  return join(dir, `supervisor-${new URL(supervisorUrl).port}.secret`);
}
