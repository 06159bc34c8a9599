import type { EventEmitter } from "../../contracts/index.js";
import { isoNow } from "../../iso-time.js";
import type { EventBus } from "./event-bus.js";

/**
 * The seed's EventEmitter on the app's event bus: `workflow.<type>.started`,
 * `.completed`, `.failed` with `{workflowType, action, status, timestamp, …}`
 * (upstream's topics and payload). Publishing is fire-and-forget.
 */
export class BusEventEmitter implements EventEmitter {
  constructor(private readonly bus: EventBus) {}

  emitWorkflowStarted(workflowType: string, action: string, data: Record<string, unknown>): void {
    this.#emit(workflowType, "started", { action, status: "started", data });
  }

  emitWorkflowCompleted(
    workflowType: string,
    action: string,
    durationMs: number,
    results: Record<string, unknown>,
  ): void {
    this.#emit(workflowType, "completed", {
      action,
      status: "completed",
      duration_ms: durationMs,
      results,
    });
  }

  emitWorkflowFailed(workflowType: string, action: string, durationMs: number, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    this.#emit(workflowType, "failed", {
      action,
      status: "failed",
      duration_ms: durationMs,
      error,
    });
  }

  #emit(workflowType: string, lifecycle: string, payload: Record<string, unknown>): void {
    void this.bus.publish(`workflow.${workflowType}.${lifecycle}`, {
      workflowType,
      timestamp: isoNow(),
      ...payload,
    });
  }
}
