// A machine that vanishes without a word: packets to and from one local port dropped by the kernel (iptables), so
// connecting hangs and answers in flight never arrive; unlike a crash (refused at once) or a pause (the kernel
// still accepts connections for the stopped process).
import { execFileSync } from 'node:child_process';

/** Marks this process's rules, so that only they are removed, and those of a process that died are found. */
const TAG_PREFIX = 'stickiness-lab:';
const tag = `${TAG_PREFIX}${process.pid}`;

/** Why ports cannot be blackholed here (not root, no iptables), or undefined when they can. */
export function blackholeUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'blackhole needs root (it adds iptables rules for the instance\u2019s port)';
  try {
    execFileSync('iptables', ['-w', '-S', 'INPUT'], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `blackhole needs iptables (sudo apt-get install iptables): ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Both directions on loopback: the client's packets to `port`, and the server's from it. */
function rules(port: number): string[][] {
  return ['--dport', '--sport'].map((direction) => [
    'INPUT',
    '-i',
    'lo',
    '-p',
    'tcp',
    direction,
    String(port),
    '-m',
    'comment',
    '--comment',
    tag,
    '-j',
    'DROP',
  ]);
}

/** Drops every packet to and from `port` on loopback until `restore`. */
export function blackhole(port: number): void {
  for (const rule of rules(port)) execFileSync('iptables', ['-w', '-I', ...rule], { stdio: 'pipe' });
}

/** Lets packets to and from `port` through again. */
export function restore(port: number): void {
  for (const rule of rules(port)) {
    try {
      execFileSync('iptables', ['-w', '-D', ...rule], { stdio: 'pipe' });
    } catch {
      // not there: already restored
    }
  }
}

/** Removes this process's rules, and those left behind by lab processes that no longer run. */
export function restoreAll(): void {
  if (blackholeUnavailable()) return;
  const listed = execFileSync('iptables', ['-w', '-S', 'INPUT'], { encoding: 'utf8' }).split('\n');
  for (const line of listed) {
    const owner = new RegExp(`--comment "?${TAG_PREFIX}(\\d+)"?`).exec(line)?.[1];
    if (!owner || !line.startsWith('-A ')) continue;
    if (Number(owner) !== process.pid && alive(Number(owner))) continue;
    const spec = line.slice(3).replace(/"/g, '').split(' ');
    try {
      execFileSync('iptables', ['-w', '-D', ...spec], { stdio: 'pipe' });
    } catch {
      // removed meanwhile
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
