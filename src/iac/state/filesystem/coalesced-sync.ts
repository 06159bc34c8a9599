/**
 * Shares fsyncs between concurrent callers: a call made while one runs waits for the
 * next, which every such caller shares, so each caller's earlier writes are covered by
 * an fsync that started after them. Parallel actions then pay for far fewer flushes.
 */
export class CoalescedSync {
  readonly #flush: () => Promise<void>;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(flush: () => Promise<void>) {
    this.#flush = flush;
  }

  sync(): Promise<void> {
    if (this.#running === undefined) return this.#start();
    this.#queued ??= this.#running.then(() => {
      this.#queued = undefined;
      return this.#start();
    });
    return this.#queued;
  }

  /** Resolves once no flush is running or queued. */
  async idle(): Promise<void> {
    while (this.#running !== undefined || this.#queued !== undefined) {
      await (this.#queued ?? this.#running)?.catch(() => {});
    }
  }

  #start(): Promise<void> {
    const run = this.#flush();
    // Waiters chain on #running, which never rejects: the failure reaches callers via `run`.
    this.#running = run.then(
      () => {
        this.#running = undefined;
      },
      () => {
        this.#running = undefined;
      },
    );
    return run;
  }
}
