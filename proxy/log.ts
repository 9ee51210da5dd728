// The proxy's logger (pino JSON lines) and a lifecycle child that prints start and stop even at LOG_LEVEL=warn.
import pino, { type Logger } from 'pino';

/** The main logger and the lifecycle logger (always at info, so tools can read the `listening` line). */
export interface ProxyLoggers {
  log: Logger;
  lifecycle: Logger;
}

/** Loggers at `LOG_LEVEL` (default info); nothing is logged per request at info. */
export function createLoggers(level = process.env.LOG_LEVEL ?? 'info'): ProxyLoggers {
  const log = pino({ level, base: { service: 'proxy' } });
  return { log, lifecycle: log.child({}, { level: 'info' }) };
}
