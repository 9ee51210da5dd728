// `npm run bench`: the proxy side by side with HAProxy, nginx and no proxy, or (`--designs`) the session designs side
// by side.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chosenContenders } from './bench/contenders/registry.ts';
import { designsTable } from './bench/designs/report.ts';
import { runDesigns } from './bench/designs/run.ts';
import { instructionsTable, instructionsUnavailable, runInstructions } from './bench/instructions.ts';
import { parseBenchOptions, USAGE, UsageError } from './bench/options.ts';
import { failoverAndMemoryTable, throughputTable } from './bench/report.ts';
import { runBench } from './bench/run.ts';
import { runSoak, soakTable } from './bench/soak.ts';

let options: ReturnType<typeof parseBenchOptions>;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// Exiting runs ManagedChild's exit hook, which ends every backend and proxy this run started.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
// A run that cannot go on says why in one line, not with a stack.
process.once('uncaughtException', (error) => {
  process.stderr.write(`bench: stopped: ${error.message}\n`);
  process.exit(1);
});

if (options.soak) {
  const workDir = mkdtempSync(join(tmpdir(), 'stickiness-soak-'));
  process.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
  const plan = {
    requests: options.soakRequests,
    connections: options.connections,
    killEverySeconds: options.killEverySeconds,
    sampleEvery: Math.max(1, Math.round(options.soakRequests / 10)),
    workDir,
  };
  const soak = await runSoak(plan, (message) => process.stderr.write(`bench: ${message}\n`));
  process.stdout.write(`\n${soakTable(soak)}\n`);
  if (options.json !== undefined) {
    writeFileSync(options.json, `${JSON.stringify(soak, null, 2)}\n`);
    process.stdout.write(`figures written to ${options.json}\n`);
  }
  process.exit(0);
}

if (options.instructions) {
  const unavailable = instructionsUnavailable();
  if (unavailable !== undefined) {
    process.stderr.write(`bench: --instructions cannot run here: ${unavailable}\n`);
    process.exit(2);
  }
  const instructions = await runInstructions(
    {
      ...options.instructions,
      backends: options.backends,
      connections: options.connections,
      contenders: chosenContenders(options.only, options.baseline),
    },
    (message) => process.stderr.write(`bench: ${message}\n`),
  );
  process.stdout.write(`\n${instructionsTable(instructions)}\n`);
  if (options.json !== undefined) {
    writeFileSync(options.json, `${JSON.stringify(instructions, null, 2)}\n`);
    process.stdout.write(`figures written to ${options.json}\n`);
  }
  process.exit(0);
}

const started = performance.now();
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
let tables: string[];
let report: { machine: { loadAverageBefore: number[]; loadAverageAfter: number[] } };
if (options.designs) {
  const designs = await runDesigns(options.designs, progress);
  tables = [designsTable(designs.designs)];
  report = designs;
} else {
  const proxies = await runBench(options, progress);
  tables = proxies.sections.map(throughputTable);
  if (!options.throughputOnly) tables.push(failoverAndMemoryTable(proxies));
  report = proxies;
}
for (const table of tables) process.stdout.write(`\n${table}\n`);
process.stdout.write(
  `\nload average ${report.machine.loadAverageBefore.join(' ')} before, ` +
    `${report.machine.loadAverageAfter.join(' ')} after; ${Math.round((performance.now() - started) / 1_000)} s\n`,
);
if (options.json !== undefined) {
  writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`figures written to ${options.json}\n`);
}
