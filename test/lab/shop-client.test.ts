// The scenarios count an answer cut off mid-body apart from a refused one; this proves the client tells them apart.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerCutError, ShopClient } from '../../scripts/shopper/shop-client.ts';

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server on a free port whose every request is answered by `handle`. */
async function serve(handle: http.RequestListener): Promise<string> {
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/memory`;
}

describe('ShopClient', () => {
  it('reports an answer whose connection broke after the head as cut', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 });
      res.write('{"items":', () => res.socket?.destroy());
    });
    await expect(new ShopClient(url).getCart()).rejects.toBeInstanceOf(AnswerCutError);
  });

  it('does not call a connection that broke before any answer a cut answer', async () => {
    const url = await serve((req) => req.socket.destroy());
    const failure = await new ShopClient(url).getCart().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(AnswerCutError);
  });
});
