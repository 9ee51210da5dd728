// Starts a third-party proxy (HAProxy, nginx) in the foreground and waits until it forwards, failing fast if it exits.
import { ManagedChild } from '../../process/child.ts';
import { waitForHttp } from '../../process/wait.ts';

/**
 * Spawns `command` and resolves once `url` answers 2xx through it; rejects with its output if it exits or never
 * answers.
 */
export async function startForeground(
  name: string,
  command: string,
  args: readonly string[],
  url: string,
): Promise<ManagedChild> {
  const child = new ManagedChild({ name, command, args });
  const exited = child.exited.then((exit) => {
    throw new Error(
      `${name} exited (code ${exit.code}, signal ${exit.signal}) before it served:\n${child.recentOutput()}`,
    );
  });
  try {
    await Promise.race([waitForHttp(url), exited]);
    return child;
  } catch (error) {
    await child.kill();
    throw error instanceof Error && error.message.startsWith(name)
      ? error
      : new Error(`${name} did not serve ${url}: ${(error as Error).message}\n${child.recentOutput()}`);
  }
}
