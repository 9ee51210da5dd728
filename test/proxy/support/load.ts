// Concurrent simulated clients for failover tests: they keep requesting until told to stop and count every failure.

/** What the clients saw. */
export interface LoadResult {
  total: number;
  /** 5xx answers and transport errors, with what happened. */
  failures: string[];
  upstreams: Map<string, number>;
}

/** Runs `workers` clients that each send `request()` back to back until `stop()` is called. */
export function runLoad(workers: number, request: (index: number) => Promise<Response>) {
  let stopped = false;
  const result: LoadResult = { total: 0, failures: [], upstreams: new Map() };
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let index = 0; !stopped; index++) {
      result.total++;
      try {
        const response = await request(worker * 1_000_000 + index);
        const body = await response.text();
        if (response.status >= 500) result.failures.push(`${response.status} ${body}`);
        const upstream = response.headers.get('x-upstream') ?? '(none)';
        result.upstreams.set(upstream, (result.upstreams.get(upstream) ?? 0) + 1);
      } catch (error) {
        result.failures.push(`transport: ${(error as Error).message}`);
      }
    }
  });
  return {
    result,
    /** Stops the clients and resolves once every one has finished its last request. */
    async stop(): Promise<LoadResult> {
      stopped = true;
      await Promise.all(loops);
      return result;
    },
  };
}
