import type { OutputStream } from "../cli-io.js";

/**
 * Ctrl-C during apply/destroy: the first stops new actions (in-flight ones finish and
 * are saved), the second also cancels in-flight actions. Restores the default
 * handlers when disposed.
 */
export function interruptControl(stderr: OutputStream): {
  readonly signal: AbortSignal;
  readonly forceSignal: AbortSignal;
} & Disposable {
  const graceful = new AbortController();
  const force = new AbortController();
  const onSignal = () => {
    if (!graceful.signal.aborted) {
      stderr.write(
        "\nInterrupt: no new actions will start; waiting for in-flight ones (Ctrl-C again to cancel them)\n",
      );
      graceful.abort();
    } else {
      stderr.write("\nSecond interrupt: cancelling in-flight actions\n");
      force.abort();
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: graceful.signal,
    forceSignal: force.signal,
    [Symbol.dispose]: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
