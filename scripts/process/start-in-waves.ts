// Starts many processes a few at a time: fifteen Node processes booting at once on two busy cores can each take
// longer than its start-up timeout, while a few at a time finish in about the same total time.

/** How many processes may be starting at once. */
export const STARTS_AT_ONCE = 4;

/** Runs `start` for every item, at most `limit` at a time; rejects with the first failure once all have settled. */
export async function startInWaves<T, R>(
  items: readonly T[],
  start: (item: T) => Promise<R>,
  limit = STARTS_AT_ONCE,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next;
      next += 1;
      try {
        results[index] = await start(items[index] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
