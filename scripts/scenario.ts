// `npm run scenario -- NAME… | --all [--json FILE] [--control URL]`: scripted faults and which carts survive them.
import { writeFileSync } from 'node:fs';
import { readCommandLine, usageError } from './cli/command-line.ts';
import { DEFAULT_CONTROL_URL } from './lab-client/discover.ts';
import { externalBalancers } from './scenarios/balancers/external.ts';
import { scenarios } from './scenarios/registry.ts';
import { scenarioJson, verdictTable } from './scenarios/report.ts';
import { runScenarios } from './scenarios/runner.ts';

function usage(): string {
  return [
    'usage: npm run scenario -- NAME... | --all [--json FILE] [--control URL] [--compose] [--balancer haproxy|nginx]',
    '  each scenario starts a stack of its own on free ports, unless --control names a running lab',
    '  --compose: use the lab started with docker compose up (control port 127.0.0.1:8081 unless --control)',
    '  --balancer haproxy|nginx: shoppers go through HAProxy or nginx running `npm run translate` of the proxy config',
    ...[...scenarios.values()].map((scenario) => `  ${scenario.name.padEnd(30)} ${scenario.summary}`),
  ].join('\n');
}

async function main(): Promise<number> {
  const line = readCommandLine('scenario', usage(), {
    all: { type: 'boolean' },
    json: { type: 'string' },
    control: { type: 'string' },
    compose: { type: 'boolean' },
    balancer: { type: 'string' },
  });
  if (typeof line === 'number') return line;
  const { values, positionals } = line;
  const unknown = positionals.filter((name) => !scenarios.has(name));
  if (unknown.length > 0 || (positionals.length === 0 && !values.all) || (positionals.length > 0 && values.all)) {
    const problem =
      unknown.length > 0
        ? `unknown scenario ${unknown.map((name) => `"${name}"`).join(', ')}`
        : 'name scenarios or pass --all';
    return usageError('scenario', problem, usage());
  }
  const balancer =
    values.balancer === undefined || values.balancer === 'lab-proxy'
      ? undefined
      : externalBalancers.find((name) => name === values.balancer);
  if (values.balancer !== undefined && values.balancer !== 'lab-proxy' && !balancer) {
    process.stderr.write(
      `scenario: unknown balancer "${values.balancer}"; expected lab-proxy, ${externalBalancers.join(' or ')}\n`,
    );
    return 2;
  }
  if (balancer && (values.control || values.compose)) {
    process.stderr.write(
      'scenario: --balancer runs scenarios on stacks of their own; it does not combine with --control or --compose\n',
    );
    return 2;
  }
  const list = values.all ? [...scenarios.values()] : positionals.map((name) => scenarios.get(name)!);
  // Under Docker Compose the scenarios always use the running lab; natively each one starts its own unless --control.
  const controlUrl = values.control ?? (values.compose ? DEFAULT_CONTROL_URL : undefined);
  const rows = await runScenarios(list, {
    controlUrl,
    compose: values.compose,
    balancer,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${verdictTable(rows)}\n`);
  if (values.json) writeFileSync(values.json, scenarioJson(rows));
  return rows.some((row) => row.verdict === 'failed') ? 1 : 0;
}

process.exitCode = await main();
