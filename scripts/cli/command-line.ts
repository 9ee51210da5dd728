// What every lab command does with its command line alike: strict flags, `--help`, and exit code 2 with the usage on a
// mistake.
import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

type Config<Options extends ParseArgsOptionsConfig> = {
  args: string[];
  options: Options & { help: { type: 'boolean'; short: 'h' } };
  allowPositionals: true;
  strict: true;
};

/** The parsed flags and positionals of a command. */
export type CommandLine<Options extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<Config<Options>>>;

/** Writes `problem` and the usage to stderr; returns the exit code for a usage mistake. */
export function usageError(command: string, problem: string, usage: string): 2 {
  process.stderr.write(`${command}: ${problem}\n${usage}\n`);
  return 2;
}

/**
 * Parses `process.argv` with `options` plus `--help`. Returns the parsed line, or the exit code when the command
 * is already answered: 0 after printing the usage for `--help`, 2 after a usage error.
 */
export function readCommandLine<Options extends ParseArgsOptionsConfig>(
  command: string,
  usage: string,
  options: Options,
): CommandLine<Options> | number {
  let parsed: CommandLine<Options>;
  try {
    parsed = parseArgs<Config<Options>>({
      args: process.argv.slice(2),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError(command, (error as Error).message, usage);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return parsed;
}
