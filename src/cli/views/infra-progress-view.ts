import { type ActionOutcome, ActionStatus } from "../../contracts/index.js";
import type { IacEvent } from "../../iac/iac-events.js";
import type { OutputStream } from "../cli-io.js";
import { plural } from "../diagnostics-output.js";

/**
 * Live progress of an apply or destroy on stderr: a line when each action starts and
 * one when it ends, with its elapsed time, then a summary. Actions run in parallel,
 * so lines interleave; each names its resource.
 */
export class InfraProgressView {
  #started = 0;
  readonly #startedAt = performance.now();

  constructor(
    private readonly stream: OutputStream,
    private readonly total: number,
    private readonly quiet: boolean,
  ) {}

  readonly onEvent = (event: IacEvent): void => {
    if (event.kind === "action:start") {
      this.#started += 1;
      if (!this.quiet) {
        this.stream.write(
          `  -> [${this.#started}/${this.total}] ${event.action} ${event.resource} (${event.type})\n`,
        );
      }
    } else if (event.kind === "action:done") {
      const took = seconds(event.elapsedMs);
      const what = `${event.action} ${event.resource} (${event.type})`;
      if (event.status === ActionStatus.Success) {
        if (!this.quiet) this.stream.write(`  ✓ ${what} ${took}\n`);
      } else if (event.status === ActionStatus.Skipped) {
        this.stream.write(`  - skipped ${what}: ${event.error ?? ""}\n`);
      } else {
        this.stream.write(`  ✗ ${what}: ${event.error ?? "failed"} ${took}\n`);
      }
    } else if (event.kind === "diagnostic") {
      if (event.severity !== "info" || !this.quiet) {
        const where = event.resource ? `${event.resource}: ` : "";
        this.stream.write(`${event.severity}: ${where}${event.message}\n`);
      }
    } else if (event.kind === "lock:takeover") {
      const p = event.previous;
      const why = event.reason === "expired" ? "its lock expired" : "its process is gone";
      this.stream.write(
        `warning: took over the state lock of ${p.user}@${p.host} (pid ${p.pid}): ${why}\n`,
      );
    } else if (event.kind === "intent:reconciled") {
      const what =
        event.outcome === "adopted"
          ? "was created by an interrupted run; adopted into state"
          : "was never created by an interrupted run; nothing to adopt";
      this.stream.write(`warning: ${event.resource} ${what}\n`);
    }
  };

  summary(outcomes: readonly ActionOutcome[], verb: string): string {
    const n = (s: number) => outcomes.filter((o) => o.status === s).length;
    const failed = outcomes.length - n(ActionStatus.Success) - n(ActionStatus.Skipped);
    const took = seconds(performance.now() - this.#startedAt);
    const parts = [`${n(ActionStatus.Success)} succeeded`];
    if (failed > 0) parts.push(`${failed} failed`);
    if (n(ActionStatus.Skipped) > 0) parts.push(`${n(ActionStatus.Skipped)} skipped`);
    const head =
      failed > 0 || n(ActionStatus.Skipped) > 0
        ? `${verb} finished with errors`
        : `${verb} complete`;
    return `${head}: ${parts.join(", ")} (${plural(outcomes.length, "action")}, ${took}).\n`;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
