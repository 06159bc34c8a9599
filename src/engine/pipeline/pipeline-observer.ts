import type { EventEmitter, PipelineContext } from "../../contracts/index.js";
import type { TenantMetricsRecorder } from "../metrics/prometheus-metrics.js";
import { tenantSlug } from "./template-view.js";

/** Watches executions: lifecycle events on the bus, metrics, logs. */
export interface PipelineObserver {
  started(pipeline: string, executionId: string, pc: PipelineContext): ObservedExecution;
}

export interface ObservedExecution {
  completed(elapsedMs: number, output: Record<string, unknown>): void;
  failed(elapsedMs: number, err: Error): void;
}

const UNOBSERVED: ObservedExecution = { completed: () => {}, failed: () => {} };

/** The seed's workflow type of a pipeline, as events and metrics name it. */
export const workflowType = (pipeline: string): string => `pipeline:${pipeline}`;
const ACTION = "execute";

/**
 * Reports each execution to the app's EventEmitter (`workflow.pipeline:NAME.started`
 * …) and MetricsRecorder (`workflow_executions_total`, `workflow_duration_seconds`,
 * labelled with the execution's tenant); either may be absent. Both are
 * fire-and-forget by contract.
 */
export class LifecycleObserver implements PipelineObserver {
  constructor(
    private readonly emitter: EventEmitter | undefined,
    private readonly metrics: TenantMetricsRecorder | undefined,
  ) {}

  started(pipeline: string, executionId: string, pc: PipelineContext): ObservedExecution {
    if (!this.emitter && !this.metrics) return UNOBSERVED;
    const type = workflowType(pipeline);
    const tenant = tenantSlug(pc);
    this.emitter?.emitWorkflowStarted(type, ACTION, { execution_id: executionId });
    return {
      completed: (elapsedMs, output) => {
        this.emitter?.emitWorkflowCompleted(type, ACTION, elapsedMs, output);
        this.metrics?.recordWorkflowExecution(type, ACTION, "success", tenant);
        this.metrics?.recordWorkflowDuration(type, ACTION, elapsedMs, tenant);
      },
      failed: (elapsedMs, err) => {
        this.emitter?.emitWorkflowFailed(type, ACTION, elapsedMs, err);
        this.metrics?.recordWorkflowExecution(type, ACTION, "error", tenant);
        this.metrics?.recordWorkflowDuration(type, ACTION, elapsedMs, tenant);
      },
    };
  }
}
