// Finds HAProxy and nginx: on PATH or in the sbin folders Debian installs them to (not on every user's PATH).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SBIN_FOLDERS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** The absolute path of executable `name`, or undefined. */
export function findBinary(name: string): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_FOLDERS];
  for (const folder of folders) {
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The reason a contender is skipped when `name` is missing, with the Debian package that provides it. */
export function missingBinaryReason(name: string, debianPackage: string): string {
  return (
    `${name} not found on PATH or in /usr/sbin; install it with: sudo apt-get install -y ${debianPackage} ` +
    `(then stop the service it may start: sudo systemctl disable --now ${debianPackage})`
  );
}
