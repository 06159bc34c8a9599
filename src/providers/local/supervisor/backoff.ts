/** Restart delays: first `initial_ms`, doubling up to `max_ms`; a replica that stayed up a minute starts again from `initial_ms`. */
export const BACKOFF_RESET_AFTER_MS = 60_000;

export class Backoff {
  #next: number;

  constructor(private readonly limits: { readonly initial_ms: number; readonly max_ms: number }) {
    this.#next = limits.initial_ms;
  }

  /** The delay before the next restart of a process that ran for `uptimeMs`. */
  delayAfter(uptimeMs: number): number {
    if (uptimeMs >= BACKOFF_RESET_AFTER_MS) this.#next = this.limits.initial_ms;
    const delay = this.#next;
    this.#next = Math.min(Math.max(this.#next * 2, 1), this.limits.max_ms);
    return delay;
  }
}
