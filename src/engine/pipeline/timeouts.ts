/** A pipeline ran past its `timeout`: answered over HTTP as 504. */
export class PipelineTimeoutError extends Error {
  constructor(
    readonly pipeline: string,
    readonly timeoutMs: number,
  ) {
    super(`pipeline "${pipeline}" timed out after ${formatMs(timeoutMs)}`);
    this.name = "PipelineTimeoutError";
  }

  static is(err: unknown): err is PipelineTimeoutError {
    return err instanceof PipelineTimeoutError;
  }
}

/** A step ran past its own `timeout`. */
export class StepTimeoutError extends Error {
  constructor(step: string, timeoutMs: number) {
    super(`step "${step}" timed out after ${formatMs(timeoutMs)}`);
    this.name = "StepTimeoutError";
  }
}

/**
 * `work`, or a rejection as soon as `signal` aborts: a step that ignores its signal
 * still cannot hold the pipeline past its timeout (its work runs on, unobserved).
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
