/**
 * Workflow lifecycle events and metrics. Both are fire-and-forget: every method must
 * be a safe no-op when no event bus or metrics backend is configured, so they return
 * nothing and take no cancellation signal. Durations are milliseconds.
 */

/**
 * Publishes workflow lifecycle events. Named as the seed; it is unrelated to
 * node:events' EventEmitter (alias one of them when both are needed).
 */
export interface EventEmitter {
  emitWorkflowStarted(workflowType: string, action: string, data: Record<string, unknown>): void;
  emitWorkflowCompleted(
    workflowType: string,
    action: string,
    durationMs: number,
    results: Record<string, unknown>,
  ): void;
  emitWorkflowFailed(workflowType: string, action: string, durationMs: number, err: unknown): void;
}

/** Records workflow execution metrics. */
export interface MetricsRecorder {
  recordWorkflowExecution(workflowType: string, action: string, status: string): void;
  recordWorkflowDuration(workflowType: string, action: string, durationMs: number): void;
}
