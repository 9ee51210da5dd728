// One supervised child process: line-wise output, readiness by log line, and a stop that always ends it.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { LabError } from '../../lab/errors.ts';
import { waitUntil } from './wait.ts';

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What to run and how to label it. */
export interface ChildOptions {
  /** A short label used in error messages, e.g. `memory-1` or `redis`. */
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives every line the child prints on stdout or stderr. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

const RECENT_LINES = 40;
const live = new Set<ManagedChild>();

// A safety net for a parent that exits without stopping its children (a failing test, an uncaught error).
process.once('exit', () => {
  for (const child of live) child.process.kill('SIGKILL');
});

/** A child process that keeps its recent output for diagnostics and can always be stopped. */
export class ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<ChildExit>;
  private readonly recent: string[] = [];
  private readonly lineWaiters = new Set<(line: string) => void>();
  private exitInfo: ChildExit | undefined;

  constructor(options: ChildOptions) {
    this.name = options.name;
    this.process = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        live.delete(this);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      this.process.once('error', (error) => {
        live.delete(this);
        this.remember(`spawn error: ${error.message}`);
        this.exitInfo = { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = this.process[stream];
      if (!source) continue;
      createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => {
        this.remember(line);
        options.onLine?.(line, stream);
        for (const waiter of this.lineWaiters) waiter(line);
      });
    }
  }

  /** The process id, or undefined if it never started. */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last lines the child printed, for error messages. */
  recentOutput(): string {
    return this.recent.join('\n');
  }

  /**
   * Resolves with the first line (printed from now on) for which `pick` returns a value.
   * Rejects if the child exits first or nothing matches within `timeoutMs`.
   */
  waitForLine<T>(pick: (line: string) => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (error: Error | undefined, value?: T) => {
        clearTimeout(timer);
        this.lineWaiters.delete(onLine);
        if (error) reject(error);
        else resolve(value as T);
      };
      const onLine = (line: string) => {
        const value = pick(line);
        if (value !== undefined) finish(undefined, value);
      };
      const timer = setTimeout(() => finish(this.failure(`did not print ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.lineWaiters.add(onLine);
      void this.exited.then((exit) =>
        finish(this.failure(`exited (code ${exit.code}, signal ${exit.signal}) before printing ${what}`)),
      );
    });
  }

  /** Sends a signal if the process still runs. */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.process.kill(signal);
  }

  /**
   * SIGSTOP, resolving once the kernel reports the process stopped (signals are delivered asynchronously).
   * Where there is no /proc (macOS), it resolves right after the signal.
   */
  async pause(): Promise<void> {
    this.signal('SIGSTOP');
    await waitUntil(() => this.stopped() !== false, `${this.name} to stop`, { timeoutMs: 2_000, intervalMs: 5 });
  }

  /** SIGCONT. */
  resume(): void {
    this.signal('SIGCONT');
  }

  /** From /proc: true when stopped by a signal, false when not, undefined where /proc cannot tell. */
  stopped(): boolean | undefined {
    try {
      // the state is the field after the parenthesised command name
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
    } catch {
      return undefined;
    }
  }

  /** SIGTERM, then SIGKILL if the process has not exited after `graceMs`; resolves once it is gone. */
  async stop(graceMs = 5_000): Promise<ChildExit> {
    if (!this.running) return this.exited;
    this.signal('SIGCONT'); // a paused process cannot act on SIGTERM
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** SIGKILL and wait for the exit: a crash. */
  async kill(): Promise<ChildExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  private remember(line: string): void {
    this.recent.push(line);
    if (this.recent.length > RECENT_LINES) this.recent.shift();
  }

  private failure(message: string): Error {
    const output = this.recentOutput();
    return new LabError(
      'process_failed',
      `${this.name} ${message}${output ? `\n--- last output of ${this.name} ---\n${output}` : ''}`,
    );
  }
}
