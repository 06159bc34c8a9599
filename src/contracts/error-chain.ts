import { isObject } from "./guards.js";

/**
 * Every value reachable from `err`, depth-first with `err` first: the walk Go's
 * `errors.Is`/`errors.As` make. Followed links, in order: `sentinel` (what
 * {@link wrapSentinel} attaches), `cause`, and the `errors` array of an
 * AggregateError (Go's `Unwrap() []error`). Each value is visited once, so cyclic
 * causes terminate.
 */
export function* errorChain(err: unknown): Generator<unknown, void, undefined> {
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === undefined || current === null || seen.has(current)) {
      continue;
    }
    seen.add(current);
    yield current;
    if (!isObject(current)) {
      continue;
    }
    const next: unknown[] = [];
    if (isObject(current.sentinel)) {
      next.push(current.sentinel);
    }
    if ("cause" in current) {
      next.push(current.cause);
    }
    if (Array.isArray(current.errors)) {
      next.push(...current.errors);
    }
    // Reverse so the first link is popped (visited) first.
    for (let i = next.length - 1; i >= 0; i--) {
      stack.push(next[i]);
    }
  }
}

/** The first value in `err`'s chain that satisfies `guard` (Go's `errors.As`). */
export function errorAs<T>(err: unknown, guard: (e: unknown) => e is T): T | undefined {
  for (const e of errorChain(err)) {
    if (guard(e)) {
      return e;
    }
  }
  return undefined;
}
