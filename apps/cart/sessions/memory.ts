// The sticky design: carts live in this process's memory and die with it, so only a sticky proxy keeps them.
import session from 'express-session';
import type { CartConfig } from '../config.ts';
import type { SessionDesign } from './design.ts';
import { expressSessionDesign } from './express-session-design.ts';

/** Carts in express-session's MemoryStore: gone on crash, restart or a request routed elsewhere. */
export function memoryDesign(config: CartConfig): SessionDesign {
  return expressSessionDesign({
    mode: 'memory',
    store: new session.MemoryStore(),
    cookieName: 'cart_memory_sid',
    secret: config.sessionSecret,
    basePath: config.basePath,
    ttlSeconds: config.sessionTtlSeconds,
    cartWrites: config.cartWrites,
    ready: async () => {},
    storeStatus: () => 'ok',
    close: async () => {},
  });
}
