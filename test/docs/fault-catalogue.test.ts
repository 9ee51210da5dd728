// The docs cannot forget a fault: README's fault table and docs/contract.md name every fault of the catalogue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultCatalogue } from '../../lab/faults/catalogue.ts';
import { projectRoot } from '../../scripts/process/project-root.ts';

const read = (file: string) => readFileSync(join(projectRoot, file), 'utf8');

/** The text of a markdown section, from its heading to the next heading of the same level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, `${heading} is a heading`).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0] as string;
  const end = markdown.indexOf(`\n${level} `, start + heading.length + 2);
  return markdown.slice(start, end === -1 ? undefined : end);
}

describe('the fault catalogue in the docs', () => {
  const names = [...faultCatalogue.keys()];

  it("README's Faults section names every catalogued fault", () => {
    const faults = section(read('README.md'), '## Faults');
    expect(names.filter((name) => !faults.includes(`\`${name}`))).toEqual([]);
  });

  it("docs/contract.md's fault command names every catalogued fault", () => {
    const contract = read('docs/contract.md');
    const fault = contract.slice(contract.indexOf('- **fault** ACTIONs'), contract.indexOf('- **scenario**'));
    expect(names.filter((name) => !fault.includes(`\`${name}\``))).toEqual([]);
  });
});
