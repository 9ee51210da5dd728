// How the bench starts the Node processes it measures: plainly, with V8's CPU profiler, or under callgrind, so every
// proxy contender (ours, the floors, a baseline bundle) is measured the same way.
import { join } from 'node:path';

/** Set once per run from the command line; every measured Node process is started accordingly. */
export const launchMode: {
  /** `--cpu-prof DIR`: each process writes a V8 CPU profile into `DIR/<contender>` when it stops. */
  cpuProfileDir: string | undefined;
  /** `--instructions`: each process runs under callgrind and writes its counts into this directory. */
  callgrindDir: string | undefined;
} = { cpuProfileDir: undefined, callgrindDir: undefined };

/** The command that runs `args` (a bundled entry and its arguments) with Node as contender `name`. */
export function nodeCommand(name: string, args: readonly string[]): { command: string; args: string[] } {
  // Node refuses --cpu-prof in NODE_OPTIONS, so it goes on the command line.
  const profile =
    launchMode.cpuProfileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${join(launchMode.cpuProfileDir, name)}`];
  if (launchMode.callgrindDir === undefined) return { command: process.execPath, args: [...profile, ...args] };
  return {
    command: 'valgrind',
    args: [
      '--tool=callgrind',
      // Counts go to a file per dump; the instruction bench zeroes them after the warm-up and dumps after the window.
      `--callgrind-out-file=${join(launchMode.callgrindDir, `${name}.%p`)}`,
      // The main thread alone: V8 compiles and marks on helper threads, which in a steady state are idle, but are not
      // under callgrind within any warm-up it has time for.
      '--separate-threads=yes',
      '--dump-instr=no',
      '--dump-line=no',
      '--quiet',
      process.execPath,
      ...profile,
      ...args,
    ],
  };
}

/** How long a measured process may take to print its listening line: callgrind runs Node about 50 times slower. */
export function startupTimeoutMs(): number {
  return launchMode.callgrindDir === undefined ? 15_000 : 180_000;
}
