// Bad settings stop an instance at start with every problem named, instead of a half-configured shop.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig, ShopConfigError } from '../../apps/cart/config.ts';
import { projectRoot } from '../../scripts/process/cart-instance.ts';
import { ManagedChild } from '../../scripts/process/child.ts';

async function runApp(args: string[], env: Record<string, string> = {}) {
  const child = new ManagedChild({
    name: 'cart-app',
    command: process.execPath,
    args: ['--import', 'tsx', 'apps/cart/main.ts', ...args],
    cwd: projectRoot,
    env: { ...process.env, SESSION_MODE: '', ...env },
  });
  try {
    const exit = await child.exited;
    return { exit, output: child.recentOutput() };
  } finally {
    await child.kill();
  }
}

describe('cart app start-up', () => {
  it('refuses bad flags and settings with exit code 2 and lists every problem', async () => {
    const { exit, output } = await runApp(['--mode', 'sticky', '--port', 'eighty', '--redis-url', 'http://x'], {
      JWT_SECRET: 'short',
    });
    expect(exit.code).toBe(2);
    expect(output).toContain('mode: Invalid option: expected one of "memory"|"redis"|"jwt"');
    expect(output).toMatch(/port: .*expected number/);
    expect(output).toContain('redisUrl: a redis:// or rediss:// URL');
    expect(output).toContain('jwtSecret: at least 16 characters');
    expect(output).toContain('usage: npm run app -- --mode memory|redis|jwt');
  });

  it('refuses an unknown flag', async () => {
    const { exit, output } = await runApp(['--mode', 'jwt', '--sticky']);
    expect(exit.code).toBe(2);
    expect(output).toContain("Unknown option '--sticky'");
  });

  it('prints the usage to stdout and exits 0 for --help, without starting', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'apps/cart/main.ts', '--help'],
      { cwd: projectRoot, env: { ...process.env, SESSION_MODE: '' } },
    );
    expect(stdout).toBe(
      'usage: npm run app -- --mode memory|redis|jwt [--port P] [--id ID] [--redis-url URL] [--host H] ' +
        '[--base-path /P] [--cart-writes atomic|whole-session]\n',
    );
    expect(stderr).toBe('');
  });

  it('throws ShopConfigError for bad flags and settings', () => {
    expect(() => loadConfig(['--mode', 'sticky'], {})).toThrow(ShopConfigError);
    expect(() => loadConfig(['--mode', 'jwt', '--sticky'], {})).toThrow(/Unknown option '--sticky'/);
    expect(() => loadConfig(['--mode', 'jwt', '--sticky'], {})).toThrow(ShopConfigError);
  });
});
