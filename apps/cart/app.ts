// Assembles the express app of one instance: the middleware order here is what guarantees the error and header
// contract.
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { CartConfig } from './config.ts';
import { connectionDraining } from './http/connection-draining.ts';
import { errorHandler, notFound } from './http/errors.ts';
import { requestLog } from './http/request-log.ts';
import { servedBy } from './http/served-by.ts';
import { cartApi } from './routes/cart-api.ts';
import { health } from './routes/health.ts';
import { shopPage } from './routes/shop-page.ts';
import type { SessionDesign } from './sessions/design.ts';

/** What the app needs from its process. */
export interface CartAppDeps {
  config: CartConfig;
  design: SessionDesign;
  logger: Logger;
}

/** The app and the switch its process flips at shutdown. */
export interface CartApp {
  app: Express;
  /** Health turns 503 and every response, in flight or new, closes its connection. */
  startDraining(): void;
}

/** Builds the express app; listening and shutdown belong to the caller. */
export function createCartApp({ config, design, logger }: CartAppDeps): CartApp {
  const drain = connectionDraining();
  const isShuttingDown = () => drain.draining;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  // The session cookies are scoped to the exact base path (cookie paths are case-sensitive), so the shop lives only
  // there: under "/Memory" express-session would skip the request and leave it without a session.
  app.set('case sensitive routing', true);

  app.use(servedBy(config.id));
  app.use(drain.middleware);

  // Before the request log: the proxy checks every instance each second, and those lines would bury the shoppers'
  // (under Docker Compose they fill `docker compose logs`, and writing them was a third of an idle instance's CPU).
  const healthz = health(design, config.id, isShuttingDown);
  app.get('/healthz', healthz);
  app.get(`${config.basePath}/healthz`, healthz);
  app.use(requestLog(logger));
  app.get('/', (_req, res) => res.redirect(`${config.basePath}/`));
  app.use(config.basePath, cartApi(design, config.id), shopPage(design, config.id, config.basePath));

  app.use(notFound());
  app.use(errorHandler(logger));
  return { app, startDraining: () => drain.start() };
}
