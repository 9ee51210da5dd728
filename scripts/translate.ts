// `npm run translate -- --to haproxy|nginx|alb|k8s [--config FILE]`: the nearest real-balancer config for a lab proxy
// config.
import { ConfigError, loadConfig } from '../proxy/config/load.ts';
import { readCommandLine, usageError } from './cli/command-line.ts';
import { DEMO_CONFIG } from './stack/topology.ts';
import { translators } from './translate/registry.ts';

const usage = [
  'usage: npm run translate -- --to haproxy|nginx|alb|k8s [--config FILE]',
  ...[...translators.values()].map((translator) => `  ${translator.name.padEnd(8)} ${translator.summary}`),
  '  --config FILE  a lab proxy config (default proxy/config/demo.yaml)',
].join('\n');

function main(): number {
  const line = readCommandLine('translate', usage, { to: { type: 'string' }, config: { type: 'string' } });
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  if (positionals.length > 0) return usageError('translate', `unexpected argument "${positionals[0]}"`, usage);
  const translator = values.to ? translators.get(values.to) : undefined;
  if (!translator)
    return usageError('translate', values.to ? `unknown target "${values.to}"` : '--to is required', usage);
  try {
    process.stdout.write(translator.translate(loadConfig(values.config ?? DEMO_CONFIG)));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`translate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main();
