// What the two floor proxies share: their one argument (the backend ports) and the simplest balancing there is.

/** The ports of `--backends 3001,3002,3003`; exits with code 2 and the usage on anything else. */
export function backendPorts(args: readonly string[]): number[] {
  const ports = args[0] === '--backends' ? (args[1] ?? '').split(',').map(Number) : [];
  if (ports.length === 0 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65_535)) {
    process.stderr.write('usage: node FLOOR.mjs --backends PORT,PORT,...\n');
    process.exit(2);
  }
  return ports;
}

/** Round robin over a fixed list. */
export class RoundRobin<T> {
  private index = 0;
  private readonly items: readonly T[];

  constructor(items: readonly T[]) {
    this.items = items;
  }

  pick(): T {
    const item = this.items[this.index]!;
    this.index = (this.index + 1) % this.items.length;
    return item;
  }
}
