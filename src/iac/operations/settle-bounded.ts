import { runBounded } from "../plan/run-bounded.js";

/**
 * runBounded without its fail-fast: every call runs and settles, so a caller can
 * name all failures and decide all-or-nothing after seeing each outcome. Results
 * keep the order of `items`.
 */
export function settleBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  return runBounded(items, limit, (item) =>
    fn(item).then(
      (value): PromiseSettledResult<R> => ({ status: "fulfilled", value }),
      (reason: unknown): PromiseSettledResult<R> => ({ status: "rejected", reason }),
    ),
  );
}
