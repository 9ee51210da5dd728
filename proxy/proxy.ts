// Puts the proxy together from a checked config: fleet, health checks, forwarding, public and control listeners.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ProxyConfig } from './config/schema.ts';
import { type ControlRoutes, createControlServer } from './control/control-server.ts';
import { EventStream } from './control/event-stream.ts';
import { ProxyMetrics } from './control/metrics.ts';
import { createForwarder } from './forwarding/forwarder.ts';
import type { ForwardObserver } from './forwarding/observer.ts';
import { ActiveHealthChecks } from './health/active-checks.ts';
import { Fleet } from './pool/fleet.ts';
import { createPublicServer } from './public-listener/public-server.ts';
import { RouteTable } from './routing/route-table.ts';

/** How long a shutdown waits for requests in flight before it cuts the remaining connections. */
const SHUTDOWN_GRACE_MS = 10_000;

/** A running proxy. */
export interface RunningProxy {
  readonly port: number;
  readonly controlPort: number;
  readonly fleet: Fleet;
  /** Stops listening, lets requests in flight finish (up to 10 s), then releases everything. */
  close(): Promise<void>;
}

/** What the proxy needs besides its config. */
export interface ProxyOptions {
  log: Logger;
  /** HMAC key of the lb-cookie. */
  cookieSecret: string;
  /** Host names the control port answers to besides loopback, added to the config's `control.allowedHosts`. */
  allowedHosts?: readonly string[];
  /** Routes to mount on the control port beside the admin API (the lab mounts its console here). */
  controlRoutes?: ControlRoutes;
}

/** Starts both listeners and the health checks; resolves once both listen. */
export async function startProxy(config: ProxyConfig, options: ProxyOptions): Promise<RunningProxy> {
  const { log } = options;
  const metrics = new ProxyMetrics();
  const trustedProxies = new Set(config.trustedProxies);
  const fleet = new Fleet(config, {
    secret: options.cookieSecret,
    trustedProxies,
    latencyRecorder: (pool, target) => metrics.latencyRecorder(pool, target),
  });
  metrics.attach(fleet);
  fleet.events.on('change', (event) => log.info({ event }, event.type));

  const events = new EventStream(fleet.events);
  const observers: ForwardObserver[] = [metrics, events];
  const observer: ForwardObserver = {
    answered: (pool, target, status, seconds, reason) => {
      for (const each of observers) each.answered(pool, target, status, seconds, reason);
    },
    refused: (pool, code) => {
      for (const each of observers) each.refused(pool, code);
    },
    retried: (pool, target, cause) => {
      log.debug({ pool: pool.name, target: target.id, cause }, 'retry');
      for (const each of observers) each.retried(pool, target, cause);
    },
  };

  const rules = config.rules.map((rule) => ({ path: rule.path, pool: fleet.pool(rule.pool) }));
  const forwarder = createForwarder(observer, log, trustedProxies);
  const publicSide = createPublicServer(new RouteTable(rules), forwarder, observer, rules);
  const mounted = options.controlRoutes?.({
    fleet,
    publicUrl: () => `http://127.0.0.1:${(publicSide.server.address() as AddressInfo).port}`,
    trustedProxies: config.trustedProxies,
  });
  const control = createControlServer(
    fleet,
    metrics,
    events,
    { allowedHosts: [...config.control.allowedHosts, ...(options.allowedHosts ?? [])] },
    mounted,
  );
  const checks = new ActiveHealthChecks(fleet);

  try {
    await listen(publicSide.server, config.listener.port, config.listener.host);
    await listen(control, config.control.port, config.control.host);
  } catch (error) {
    publicSide.server.close();
    control.close();
    fleet.close();
    events.close();
    throw error;
  }
  checks.start();

  return {
    port: (publicSide.server.address() as AddressInfo).port,
    controlPort: (control.address() as AddressInfo).port,
    fleet,
    async close() {
      publicSide.beginShutdown();
      await closeGracefully(publicSide.server);
      checks.stop();
      events.close();
      await closeGracefully(control);
      fleet.close();
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Stops accepting, closes idle keep-alive connections as they become idle, and cuts the rest after the grace period.
 */
function closeGracefully(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
