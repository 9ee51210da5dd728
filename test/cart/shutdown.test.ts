// SIGTERM is a graceful stop: the request in flight is answered, health turns 503, and the process exits 0.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useProcesses } from '../helpers/processes.ts';

const scope = useProcesses('each');

describe.each(['memory', 'redis', 'jwt'] as const)('%s mode', (mode) => {
  it('finishes the request in flight when SIGTERM arrives, then exits 0', async () => {
    const redis = mode === 'redis' ? await scope.redis({ appendOnly: false }) : undefined;
    const instance = await scope.cart({ mode, id: `${mode}-1`, redisUrl: redis?.url, env: { LOG_LEVEL: 'info' } });
    const body = JSON.stringify({ sku: 'mug', qty: 2 });

    // `Expect: 100-continue` lets the test know the server has parsed the request before SIGTERM is sent.
    const req = request(`${instance.url}/api/cart/items`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const answered = new Promise<{ status: number; text: string; connection: string | undefined }>(
      (resolve, reject) => {
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }));
        });
        req.on('error', reject);
      },
    );
    await new Promise<void>((resolve) => req.once('continue', resolve));

    const stopping = instance.child.waitForLine(
      (line) => (line.includes('shutting down') ? true : undefined),
      'its shutdown line',
    );
    instance.child.signal('SIGTERM');
    await stopping;
    req.end(body);

    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ instance: `${mode}-1`, count: 2 });
    expect(answer.connection).toBe('close');
    expect(await instance.child.exited).toEqual({ code: 0, signal: null });
  });
});
