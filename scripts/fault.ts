// `npm run fault -- FAULT TARGET`: one fault of the catalogue, one command, against the running lab.
import { LabError } from '../lab/errors.ts';
import { faultCatalogue } from '../lab/faults/catalogue.ts';
import { type Fault, orchestratorsOf } from '../lab/faults/fault.ts';
import { readCommandLine, usageError } from './cli/command-line.ts';
import { DEFAULT_CONTROL_URL, discoverLab } from './lab-client/discover.ts';
import { lastServer } from './shopper/saved-shoppers.ts';

const TARGET_WORDS: Record<Fault['target'], string> = {
  process: 'TARGET',
  instance: 'INSTANCE',
  pool: 'POOL',
  redis: 'redis',
};

function usage(): string {
  const rows = [...faultCatalogue.values()].map((fault) => {
    const only = orchestratorsOf(fault).length === 1 ? ` (${orchestratorsOf(fault)[0]} only)` : '';
    return `  ${fault.name.padEnd(12)} ${TARGET_WORDS[fault.target].padEnd(9)} ${fault.summary}${only}`;
  });
  return [
    'usage: npm run fault -- ACTION TARGET [--ms N] [--control URL] [--compose]',
    '  TARGET is an instance id (memory-1 … jwt-3), redis, or served:POOL ' +
      '(the instance that last served npm run shop in POOL); INSTANCE is an instance id',
    '  with a replicated Redis (npm run demo -- --redis replicated, or compose.replicated.yaml in COMPOSE_FILE), ' +
      'TARGET is also redis-primary (whichever server is primary now) or redis-node-N',
    '  POOL is memory, redis or jwt; slow, stall and heal act on the relay between the redis shops and Redis',
    ...rows,
    "  --control URL  the proxy's control port " +
      `(default $LAB_CONTROL_URL or http://127.0.0.1:8081, now ${DEFAULT_CONTROL_URL})`,
    '  --ms N         slow only: how many milliseconds late every Redis answer arrives (default 800)',
    '  --compose      act through Docker Compose instead of the npm run demo supervisor',
  ].join('\n');
}

/** The instance id that `served:POOL` stands for, or `target` itself. */
function resolveTarget(target: string): string {
  const served = /^served:(\w+)$/.exec(target);
  if (!served) return target;
  const pool = served[1] as string;
  const id = lastServer(pool);
  if (!id) {
    throw new LabError(
      'no_served_instance',
      `no instance has served you in the ${pool} shop yet (npm run shop -- cart ${pool})`,
    );
  }
  return id;
}

async function main(): Promise<number> {
  const line = readCommandLine('fault', usage(), {
    control: { type: 'string' },
    compose: { type: 'boolean' },
    ms: { type: 'string' },
  });
  if (typeof line === 'number') return line;
  const [name, target, ...extra] = line.positionals;
  const fault = name ? faultCatalogue.get(name) : undefined;
  if (!name || !target || extra.length > 0 || !fault) {
    return usageError('fault', name && !fault ? `unknown action "${name}"` : 'expected ACTION and TARGET', usage());
  }
  const ms = line.values.ms;
  if (ms !== undefined && !fault.ms) return usageError('fault', `--ms is for slow, not for ${fault.name}`, usage());
  if (ms !== undefined && !/^\d+$/.test(ms))
    return usageError('fault', `--ms: expected a whole number of milliseconds, got "${ms}"`, usage());
  try {
    const orchestrator = line.values.compose ? 'compose' : 'native';
    if (!orchestratorsOf(fault).includes(orchestrator)) {
      throw new LabError(
        'fault_not_here',
        `${fault.name} works only in the ${orchestratorsOf(fault).join(' and ')} lab, not under ${orchestrator}`,
      );
    }
    const resolved = resolveTarget(target);
    const lab = await discoverLab(line.values.control ?? DEFAULT_CONTROL_URL, { compose: line.values.compose });
    const settings = ms === undefined ? {} : { ms: Number(ms) };
    process.stdout.write(`${await fault.run({ proxy: lab.admin, driver: lab.driver }, resolved, settings)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`fault: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
