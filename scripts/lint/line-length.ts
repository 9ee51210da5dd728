// Biome's formatter wraps code, never a comment or a string; this holds every tracked text file to 120 columns.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The widest line the tree allows, as biome.json's lineWidth. */
export const MAX_COLUMNS = 120;
const CHECKED = /\.(ts|js|mjs|json|ya?ml|sh|css|html)$|(^|\/)(Dockerfile|run)$/;

const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' })
  .split('\0')
  .filter((file) => CHECKED.test(file) && file !== 'package-lock.json');
let offenders = 0;
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  for (const [index, line] of text.split('\n').entries()) {
    const columns = [...line].length;
    if (columns <= MAX_COLUMNS) continue;
    offenders += 1;
    process.stdout.write(`${file}:${index + 1}: ${columns} columns (at most ${MAX_COLUMNS})\n`);
  }
}
if (offenders > 0) {
  process.stdout.write(`${offenders} lines over ${MAX_COLUMNS} columns\n`);
  process.exit(1);
}
