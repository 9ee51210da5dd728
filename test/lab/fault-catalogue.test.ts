// The fault catalogue: one file per fault, each registered and complete with the orchestrators it runs under, and
// listed by the CLI.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultCatalogue } from '../../lab/faults/catalogue.ts';
import { faultEntry, orchestratorsOf } from '../../lab/faults/fault.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';

/** The files of lab/faults/ that are faults, not the catalogue's own machinery. */
const MACHINERY = new Set(['catalogue.ts', 'fault.ts', 'process-fault.ts']);

function runFault(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/fault.ts', ...args],
      { cwd: projectRoot, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

describe('the fault catalogue', () => {
  it('registers every file of lab/faults/ under its file name, and nothing else', () => {
    const files = readdirSync(join(projectRoot, 'lab/faults')).filter((file) => !MACHINERY.has(file));
    expect(files.map((file) => file.replace(/\.ts$/, '')).sort()).toEqual([...faultCatalogue.keys()].sort());
  });

  it(
    'gives every fault its words, at least one orchestrator, ' + 'and a compose command only where Compose can do it',
    () => {
      for (const fault of faultCatalogue.values()) {
        expect(fault.summary.length, fault.name).toBeGreaterThan(10);
        expect(fault.done.length, fault.name).toBeGreaterThan(0);
        expect(orchestratorsOf(fault).length, fault.name).toBeGreaterThan(0);
        // the Redis toxics act on the relay service whatever the target; every other command names its service last
        if (fault.compose?.command && fault.target !== 'redis')
          expect(fault.compose.command('memory-2').at(-1), fault.name).toBe('memory-2');
        expect(faultEntry(fault)).toEqual({
          name: fault.name,
          target: fault.target,
          summary: fault.summary,
          orchestrators: orchestratorsOf(fault),
          console: fault.console,
        });
      }
      expect(orchestratorsOf(faultCatalogue.get('blackhole') ?? ({} as never))).toEqual(['native', 'compose']);
      expect(orchestratorsOf(faultCatalogue.get('failover') ?? ({} as never))).toEqual(['native', 'compose']);
      expect(faultCatalogue.get('slow')?.compose?.command?.('redis')).toEqual([
        'exec',
        '-T',
        'redis-relay',
        'node',
        'dist/relay-toxic.mjs',
        'latency',
        '800',
      ]);
      expect(faultCatalogue.get('crash')?.compose?.command?.('memory-2')).toEqual([
        'kill',
        '-s',
        'SIGKILL',
        'memory-2',
      ]);
    },
  );

  it('lists every fault in the CLI usage', async () => {
    const usage = await runFault('--help');
    for (const name of faultCatalogue.keys()) expect(usage.output).toContain(`  ${name} `);
  });

  it('takes --ms for slow only, and only a whole number of milliseconds', async () => {
    const elsewhere = await runFault('crash', 'memory-1', '--ms', '800');
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.output).toContain('--ms is for slow, not for crash');
    const vague = await runFault('slow', 'redis', '--ms', 'soon');
    expect(vague.code).toBe(2);
    expect(vague.output).toContain('--ms: expected a whole number of milliseconds, got "soon"');
  });
});
