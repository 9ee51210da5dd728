// Reads a YAML (or JSON) config file and checks it, so a wrong file is refused with every problem listed.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { configSchema, describeIssues, type ProxyConfig } from './schema.ts';

/** A config that cannot be used; `problems` holds one `path: message` line per problem. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(`${file} is not a valid proxy config:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and checks the config at `file`; throws ConfigError listing every problem. */
export function loadConfig(file: string): ProxyConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`(file): cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(file, [`(file): not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  return checkConfig(raw, file);
}

/** Checks an already parsed config object. */
export function checkConfig(raw: unknown, source = 'config'): ProxyConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(source, describeIssues(result.error));
  return result.data;
}
