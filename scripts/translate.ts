// `npm run translate -- --to haproxy|nginx|alb|k8s [--config FILE]`: the nearest real-balancer config for a lab proxy config.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../proxy/config/load.ts';
import { DEMO_CONFIG } from './stack/topology.ts';
import { translators } from './translate/registry.ts';

const usage = [
  'usage: npm run translate -- --to haproxy|nginx|alb|k8s [--config FILE]',
  ...[...translators.values()].map((translator) => `  ${translator.name.padEnd(8)} ${translator.summary}`),
  '  --config FILE  a lab proxy config (default proxy/config/demo.yaml)',
].join('\n');

function main(): number {
  let values: { to?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), options: { to: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    process.stderr.write(`translate: ${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const translator = values.to ? translators.get(values.to) : undefined;
  if (!translator) {
    process.stderr.write(`translate: ${values.to ? `unknown target "${values.to}"` : '--to is required'}\n${usage}\n`);
    return 2;
  }
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
