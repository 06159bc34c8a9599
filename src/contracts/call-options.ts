/**
 * Per-call options standing in for Go's `context.Context`. Every contract method
 * whose Go signature takes a context accepts these as an optional last parameter;
 * deadlines are expressed with `AbortSignal.timeout(ms)`.
 */
export interface CallOptions {
  /** Aborts the call; implementations should stop work and reject promptly. */
  readonly signal?: AbortSignal;
}
