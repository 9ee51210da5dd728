// `node dist/relay-toxic.mjs latency MS | stall | clear | show`: sets the toxic of the relay service (latency and stall
// each in place of any other) from inside its
// container (`docker compose exec redis-relay …`, run by the host's compose driver), so no container needs the Docker
// socket and the relay's control port stays on the container's loopback.
import { isLabErrorCode } from '../../lab/errors.ts';
import { RELAY_CONTROL_PORT } from './relay-service.ts';

const USAGE = 'usage: relay-toxic latency MS | stall | clear | show';

/** One call to the relay's control port. */
interface ControlCall {
  method: string;
  path: string;
  body?: unknown;
}

const lift: ControlCall = { method: 'DELETE', path: '/toxics' };

/** The control port's calls for the command line `args`, in order; undefined for a usage mistake. */
function toxicCalls(args: readonly string[]): ControlCall[] | undefined {
  const [command, value, ...extra] = args;
  if (extra.length > 0) return undefined;
  if (command === 'latency' && value !== undefined && /^\d+$/.test(value))
    return [lift, { method: 'PUT', path: '/toxics/latency', body: { ms: Number(value) } }];
  if (value !== undefined) return undefined;
  if (command === 'stall') return [lift, { method: 'PUT', path: '/toxics/stall', body: {} }];
  if (command === 'clear') return [lift];
  if (command === 'show') return [{ method: 'GET', path: '/toxics' }];
  return undefined;
}

/** Sends one call; resolves with the toxics in force, or rejects with what the relay said. */
async function send(port: number, call: ControlCall): Promise<unknown> {
  const answer = await fetch(`http://127.0.0.1:${port}${call.path}`, {
    method: call.method,
    ...(call.body !== undefined && {
      body: JSON.stringify(call.body),
      headers: { 'content-type': 'application/json' },
    }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await answer.json()) as { error?: { code?: string; message?: string } };
  if (!answer.ok) {
    const code = isLabErrorCode(body.error?.code) ? body.error.code : answer.status;
    throw new Error(`${code}: ${body.error?.message ?? 'refused'}`);
  }
  return body;
}

async function main(): Promise<number> {
  const calls = toxicCalls(process.argv.slice(2));
  if (!calls) {
    process.stderr.write(`relay-toxic: ${process.argv.slice(2).join(' ') || 'no command'}\n${USAGE}\n`);
    return 2;
  }
  const port = Number(process.env.RELAY_CONTROL_PORT ?? RELAY_CONTROL_PORT);
  let toxics: unknown;
  for (const call of calls) {
    try {
      toxics = await send(port, call);
    } catch (error) {
      const problem =
        error instanceof TypeError
          ? `the relay's control port 127.0.0.1:${port} does not answer`
          : `the relay refused: ${(error as Error).message}`;
      process.stderr.write(`relay-toxic: ${problem}\n`);
      return 1;
    }
  }
  process.stdout.write(`${JSON.stringify(toxics)}\n`);
  return 0;
}

process.exitCode = await main();
