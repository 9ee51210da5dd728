// A client for the proxy's control port (docs/contract.md): what the fault CLI, the supervisor and the scenarios call.
import type { PoolView, TargetView } from '../../contract/wire.ts';
import { LabError } from '../../lab/errors.ts';
import type { ProxyHands } from '../../lab/faults/fault.ts';
import { waitUntil } from '../process/wait.ts';

/** One row of `GET /api/targets`. */
export type TargetRow = TargetView;

/**
 * Talks to one proxy's control port, e.g. `http://127.0.0.1:8081`; failures are LabErrors `proxy_unreachable` and
 * `proxy_refused` (with the proxy's error body as `details`).
 */
export class ProxyAdmin implements ProxyHands {
  readonly controlUrl: string;

  constructor(controlUrl: string) {
    this.controlUrl = controlUrl.replace(/\/$/, '');
  }

  /** `GET /api/targets`. */
  targets(): Promise<TargetRow[]> {
    return this.call<TargetRow[]>('GET', '/api/targets');
  }

  /** `GET /api/pools`. */
  pools(): Promise<PoolView[]> {
    return this.call<PoolView[]>('GET', '/api/pools');
  }

  /** `PATCH /api/pools/:pool` with the same settings a config file takes (stickiness, algorithm, weights, …). */
  patchPool(pool: string, patch: Record<string, unknown>): Promise<unknown> {
    return this.call('PATCH', `/api/pools/${encodeURIComponent(pool)}`, patch);
  }

  /** `POST /api/targets/:id/drain`; resolves with the deregistration delay of the target's pool. */
  async drain(id: string): Promise<string> {
    const target = await this.call<TargetView>('POST', `/api/targets/${encodeURIComponent(id)}/drain`);
    const pool = await this.call<PoolView>('GET', `/api/pools/${encodeURIComponent(target.pool)}`);
    return pool.deregistrationDelay;
  }

  /** `POST /api/targets/:id/undrain`. */
  async undrain(id: string): Promise<void> {
    await this.call('POST', `/api/targets/${encodeURIComponent(id)}/undrain`);
  }

  /** `POST /api/pools/:pool/targets`: registers a new instance (scale out). */
  addTarget(pool: string, target: { id: string; url: string; weight?: number }): Promise<unknown> {
    return this.call('POST', `/api/pools/${encodeURIComponent(pool)}/targets`, target);
  }

  /** `DELETE /api/targets/:id`: forgets an instance (scale in). */
  removeTarget(id: string): Promise<unknown> {
    return this.call('DELETE', `/api/targets/${encodeURIComponent(id)}`);
  }

  /** Resolves once the proxy reports every one of `ids` healthy. */
  async waitForHealthy(ids: readonly string[], timeoutMs = 10_000): Promise<void> {
    if (ids.length === 0) return;
    await waitUntil(
      async () => {
        const rows = await this.targets();
        return ids.every((id) => rows.some((row) => row.id === id && row.state === 'healthy'));
      },
      `the proxy to see ${ids.join(', ')} healthy`,
      { timeoutMs, intervalMs: 50 },
    );
  }

  /** Any control-port call; throws a LabError with the proxy's own error message on a non-2xx answer. */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.controlUrl + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new LabError(
        'proxy_unreachable',
        `no lab proxy answers at ${this.controlUrl} (${reason}); ` +
          'is the stack running? (npm run demo, or pass --control URL)',
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the message
    }
    if (!response.ok) {
      const detail = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? text.slice(0, 200);
      throw new LabError('proxy_refused', `${method} ${path}: ${response.status} ${detail}`, parsed);
    }
    return parsed as T;
  }
}
