// Session designs by name: the one place that maps a mode to its implementation.
import type { Logger } from 'pino';
import type { CartConfig, SessionMode } from '../config.ts';
import type { SessionDesign } from './design.ts';
import { jwtDesign } from './jwt.ts';
import { memoryDesign } from './memory.ts';
import { redisDesign } from './redis.ts';

const designs: Record<SessionMode, (config: CartConfig, logger: Logger) => SessionDesign | Promise<SessionDesign>> = {
  memory: memoryDesign,
  redis: redisDesign,
  jwt: jwtDesign,
};

/** Builds the session design named by `config.mode`. */
export async function createSessionDesign(config: CartConfig, logger: Logger): Promise<SessionDesign> {
  return designs[config.mode](config, logger);
}
