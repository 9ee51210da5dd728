// `npm run fault -- ACTION TARGET`: one fault, one command, against the running lab.
import { readCommandLine, usageError } from './cli/command-line.ts';
import { faultActions } from './faults/actions.ts';
import { DEFAULT_CONTROL_URL, discoverLab } from './lab/discover.ts';
import { lastServer } from './shopper/saved-shoppers.ts';

function usage(): string {
  const rows = [...faultActions.values()].map(
    (action) => `  ${action.name.padEnd(10)} ${action.target === 'pool' ? 'POOL    ' : 'TARGET  '} ${action.summary}`,
  );
  return [
    'usage: npm run fault -- ACTION TARGET [--control URL] [--compose]',
    '  TARGET is an instance id (memory-1 … jwt-3), redis, or served:POOL (the instance that last served npm run shop in POOL)',
    '  POOL is memory, redis or jwt',
    ...rows,
    `  --control URL  the proxy's control port (default $LAB_CONTROL_URL or http://127.0.0.1:8081, now ${DEFAULT_CONTROL_URL})`,
    '  --compose      act through Docker Compose instead of the npm run demo supervisor',
  ].join('\n');
}

async function main(): Promise<number> {
  const line = readCommandLine('fault', usage(), { control: { type: 'string' }, compose: { type: 'boolean' } });
  if (typeof line === 'number') return line;
  const [name, target, ...extra] = line.positionals;
  const action = name ? faultActions.get(name) : undefined;
  if (!name || !target || extra.length > 0 || !action) {
    return usageError('fault', name && !action ? `unknown action "${name}"` : 'expected ACTION and TARGET', usage());
  }
  let resolved = target;
  const served = /^served:(\w+)$/.exec(target);
  if (served) {
    resolved = lastServer(served[1] as string) ?? '';
    if (!resolved) {
      process.stderr.write(
        `fault: no instance has served you in the ${served[1]} shop yet (npm run shop -- cart ${served[1]})\n`,
      );
      return 1;
    }
  }
  try {
    const lab = await discoverLab(line.values.control ?? DEFAULT_CONTROL_URL, { compose: line.values.compose });
    process.stdout.write(`${await action.run(lab, resolved)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`fault: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
