// The container health check: GET one URL and exit 0 on a 2xx answer, so the slim image needs no curl.

/** `HEALTHCHECK_URL`, the first argument, or the cart app's `/healthz` on `PORT`. */
const url = process.argv[2] ?? process.env.HEALTHCHECK_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}/healthz`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  process.exitCode = response.ok ? 0 : 1;
  if (!response.ok) process.stderr.write(`${url} answered ${response.status}\n`);
} catch (error) {
  process.stderr.write(`${url}: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
