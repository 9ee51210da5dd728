// The workshop cannot rot: every `sh test` block of docs/workshop runs against a real lab and its promised output is
// checked.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../scripts/process/project-root.ts';
import { type RunningDemo, startDemo } from '../helpers/demo.ts';

interface Step {
  line: number;
  commands: string;
  expectations: { negate: boolean; pattern: RegExp }[];
}

/**
 * The runnable blocks of a lab (```sh test) with the `<!-- expect: /re/ -->` and `<!-- expect-not: /re/ -->` lines
 * after them.
 */
function runnableSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  const block = /^```sh test\n([\s\S]*?)^```\n((?:<!-- expect(?:-not)?: \/.*\/[a-z]* -->\n)*)/gm;
  for (const match of markdown.matchAll(block)) {
    const expectations = [...(match[2] ?? '').matchAll(/<!-- expect(-not)?: \/(.*)\/([a-z]*) -->/g)].map((line) => ({
      negate: line[1] === '-not',
      pattern: new RegExp(line[2] ?? '', line[3]),
    }));
    steps.push({ line: markdown.slice(0, match.index).split('\n').length, commands: match[1] ?? '', expectations });
  }
  return steps;
}

function run(commands: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    // one stream, in the order a person at the terminal would see it
    execFile(
      'bash',
      ['-o', 'pipefail', '-c', `exec 2>&1\n${commands}`],
      { cwd: projectRoot, env, timeout: 120_000 },
      (_error, stdout) => {
        resolve(stdout);
      },
    );
  });
}

const workshop = join(projectRoot, 'docs', 'workshop');
const labs = readdirSync(workshop)
  .filter((file) => /^\d\d-.*\.md$/.test(file))
  .sort();

describe('the workshop', () => {
  it('has labs 0 to 8, each with runnable steps that promise something', () => {
    expect(labs.map((file) => file.slice(0, 2))).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08']);
    for (const file of labs) {
      const steps = runnableSteps(readFileSync(join(workshop, file), 'utf8'));
      expect(steps.length, `${file} has runnable steps`).toBeGreaterThan(0);
      expect(
        steps.some((step) => step.expectations.length > 0),
        `${file} checks some output`,
      ).toBe(true);
    }
  });
});

describe.each(labs)('%s', (file) => {
  let demo: RunningDemo | undefined;
  let env: NodeJS.ProcessEnv;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'workshop-'));
    demo = await startDemo();
    // the labs' commands run as written; only where the lab is differs (free ports instead of 8080 and 8081)
    env = {
      ...process.env,
      LAB_URL: demo.publicUrl,
      LAB_CONTROL_URL: demo.controlUrl,
      LAB_SHOPPERS_FILE: join(scratch, 'shoppers.json'),
    };
  }, 90_000);
  afterAll(async () => {
    await demo?.child.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs every step and shows what the lab says it shows', { timeout: 300_000 }, async () => {
    for (const step of runnableSteps(readFileSync(join(workshop, file), 'utf8'))) {
      const output = await run(step.commands, env);
      for (const { negate, pattern } of step.expectations) {
        const where = `${file}:${step.line}\n$ ${step.commands}\n${output}`;
        if (negate) expect(output, where).not.toMatch(pattern);
        else expect(output, where).toMatch(pattern);
      }
    }
  });
});
