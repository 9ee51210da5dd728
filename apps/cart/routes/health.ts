// The health check the proxy polls: 200 while this process can serve, 503 once it is shutting down.
import type { RequestHandler } from 'express';
import type { SessionDesign } from '../sessions/design.ts';

/** `/healthz`: `{ status, instance, mode, cartWrites, store }`. */
export function health(design: SessionDesign, instanceId: string, isShuttingDown: () => boolean): RequestHandler {
  return (_req, res) => {
    const shuttingDown = isShuttingDown();
    res
      .status(shuttingDown ? 503 : 200)
      .setHeader('Cache-Control', 'no-store')
      .json({
        status: shuttingDown ? 'shutting_down' : 'ok',
        instance: instanceId,
        mode: design.mode,
        cartWrites: design.cartWrites,
        store: design.storeStatus(),
      });
  };
}
