import { setMaxListeners } from "node:events";

/**
 * Runs `task` over every item with at most `limit` in flight, results in item order.
 * The first failure stops new tasks and aborts the signal handed to running ones;
 * the call settles only after every started task has, then rejects with that failure.
 */
export async function runBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const stop = new AbortController();
  const taskSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  // Every task in flight may listen on it: up to `limit` listeners is expected, not a leak.
  setMaxListeners(Math.max(10, limit + 1), taskSignal);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && failure === undefined && !taskSignal.aborted) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T, taskSignal);
      } catch (error) {
        // Keep the first: later failures are usually fallout of the abort below.
        failure ??= { error };
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  // The caller's abort is the story to tell, not a task that failed because of it.
  signal?.throwIfAborted();
  if (failure !== undefined) throw failure.error;
  return results;
}
