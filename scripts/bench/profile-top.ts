// `tsx scripts/bench/profile-top.ts FILE.cpuprofile [N]`: the top functions by self time and by package, from a V8 CPU
// profile.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, node's own code, the proxy's files, or V8 (gc, idle, program). */
function place(url: string): string {
  if (url === '') return '(v8)';
  if (url.startsWith('node:')) return 'node:internal';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  return 'proxy (bundle)';
}

const [file, topArgument] = process.argv.slice(2);
if (file === undefined) {
  process.stderr.write('usage: tsx scripts/bench/profile-top.ts FILE.cpuprofile [N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const top = Number(topArgument ?? 25);

// Self time per node from the sample deltas (more exact than hit counts).
const selfMicros = new Map<number, number>();
for (let index = 0; index < profile.samples.length; index++) {
  const id = profile.samples[index]!;
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
}
const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);
const idle = profile.nodes
  .filter((node) => node.callFrame.functionName === '(idle)')
  .reduce((sum, node) => sum + (selfMicros.get(node.id) ?? 0), 0);
const busy = total - idle;

const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0 || node.callFrame.functionName === '(idle)') continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\//, '');
  const key = `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  const where = place(url);
  byPlace.set(where, (byPlace.get(where) ?? 0) + micros);
}

const percent = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)} %`;
process.stdout.write(
  `busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled\n\nby place (self time):\n`,
);
for (const [where, micros] of [...byPlace].sort((a, b) => b[1] - a[1]))
  process.stdout.write(`${percent(micros)}  ${where}\n`);
process.stdout.write(`\ntop ${top} functions (self time):\n`);
for (const [key, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
  process.stdout.write(`${percent(micros)}  ${key}\n`);
