/**
 * One execution as its events describe it: built up while it runs (its summary and
 * events are written when it ends), and again from the stored events when it is read
 * (its steps, trigger data and output).
 */

import { isRecord } from "../../is-record.js";

/** The EventRecorder event types the store understands (upstream's names). */
export const ExecutionEvent = {
  started: "execution.started",
  completed: "execution.completed",
  failed: "execution.failed",
  cancelled: "execution.cancelled",
  stepStarted: "step.started",
  stepCompleted: "step.completed",
  stepFailed: "step.failed",
  stepSkipped: "step.skipped",
  stepCompensated: "step.compensated",
  sagaCompensating: "saga.compensating",
  sagaCompensated: "saga.compensated",
  conditionalRouted: "conditional.routed",
  retryAttempted: "retry.attempted",
} as const;

export type ExecutionStatus = "running" | "completed" | "failed" | "cancelled";
export type StepStatus = "completed" | "failed" | "skipped" | "compensated";

export interface StepRecord {
  readonly sequence: number;
  readonly name: string;
  type: string | undefined;
  /** undefined while the step runs. */
  status: StepStatus | undefined;
  output: unknown;
  error: string | undefined;
  readonly startedAt: number | undefined;
  completedAt: number | undefined;
  durationMs: number | undefined;
}

export interface EventRecord {
  readonly sequence: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly at: number;
}

/**
 * What in an event is the execution's data rather than an account of its run: the
 * trigger data (`execution.started`) and outputs (`step.completed`,
 * `execution.completed`). `record_data` decides whose data is written.
 */
export const DATA_KEYS: readonly string[] = ["trigger_data", "output"];

/** Set to false in the `execution.started` of an execution written without its data. */
export const DATA_RECORDED = "data_recorded";

/** Events kept per execution; later ones still update its rows but are not stored. */
const MAX_EVENTS = 10_000;

export class ExecutionRecord {
  readonly id: string;
  pipeline = "";
  triggerType: string | undefined;
  triggerData: unknown;
  tenantId: string | undefined;
  /** Its data was asked for (`X-Workflow-Trace: true`, `wfctl pipeline run --trace`). */
  traced = false;
  /** Read back: whether its data was written (`record_data` may leave it out). */
  dataRecorded = true;
  status: ExecutionStatus = "running";
  output: unknown;
  error: string | undefined;
  startedAt: number;
  completedAt: number | undefined;
  durationMs: number | undefined;
  readonly steps: StepRecord[] = [];
  readonly events: EventRecord[] = [];
  /** Events past MAX_EVENTS, counted rather than kept. */
  droppedEvents = 0;
  #nextEvent = 1;

  readonly #withSteps: boolean;
  /**
   * `current` as the executor built it (trigger data, then each step's output), for
   * the output of a completion that does not carry one; with steps only.
   */
  #current: Record<string, unknown> = {};
  /** A failed step's marker, merged into `current` once the execution goes on past it. */
  #continued: Record<string, unknown> | undefined;

  /**
   * `steps: false` while recording: only the summary and the events are written, the
   * steps are materialised from the events when the execution is read.
   */
  constructor(id: string, at: number, options: { readonly steps?: boolean } = {}) {
    this.id = id;
    this.startedAt = at;
    this.#withSteps = options.steps !== false;
  }

  /** The sequence number the next event gets. */
  get nextEventSequence(): number {
    return this.#nextEvent;
  }

  /** Records an event at `at` (ms); true when it ends the execution. */
  apply(type: string, data: Record<string, unknown>, at: number): boolean {
    const sequence = this.#nextEvent++;
    if (this.events.length < MAX_EVENTS) this.events.push({ sequence, type, data, at });
    else this.droppedEvents++;
    switch (type) {
      case ExecutionEvent.started:
        this.pipeline = text(data.pipeline) ?? this.pipeline;
        this.triggerType = text(data.trigger_type);
        this.triggerData = data.trigger_data;
        this.tenantId = text(data.tenant_id);
        this.traced = data.trace === true;
        this.dataRecorded = data[DATA_RECORDED] !== false;
        this.startedAt = at;
        if (this.#withSteps && isRecord(data.trigger_data))
          this.#current = { ...data.trigger_data };
        return false;
      case ExecutionEvent.stepStarted:
        if (!this.#withSteps) return false;
        this.#mergeContinued();
        this.#newStep(text(data.step_name) ?? "", at).type = text(data.step_type);
        return false;
      case ExecutionEvent.stepCompleted:
        if (!this.#withSteps) return false;
        this.#finishStep(data, at, "completed", data.output, undefined);
        if (isRecord(data.output)) this.#current = { ...this.#current, ...data.output };
        return false;
      case ExecutionEvent.stepFailed:
        if (!this.#withSteps) return false;
        this.#finishStep(data, at, "failed", undefined, errorText(data.error));
        // What the executor merges when the pipeline goes on (on_error continue or skip).
        this.#continued = { _error: errorText(data.error), _skipped: true };
        return false;
      case ExecutionEvent.stepSkipped:
        if (!this.#withSteps) return false;
        this.#finishStep(data, at, "skipped", { skipped: true, reason: data.reason }, undefined);
        return false;
      case ExecutionEvent.stepCompensated:
        if (!this.#withSteps) return false;
        this.#compensated(data, at);
        return false;
      case ExecutionEvent.completed:
        this.pipeline = text(data.pipeline) ?? this.pipeline;
        this.#mergeContinued();
        this.output =
          Object.hasOwn(data, "output") || !this.#withSteps || !this.dataRecorded
            ? data.output
            : this.#current;
        return this.#end("completed", undefined, data, at);
      case ExecutionEvent.failed:
        return this.#end("failed", errorText(data.error) ?? "failed", data, at);
      case ExecutionEvent.cancelled:
        return this.#end(
          "cancelled",
          errorText(data.error ?? data.reason) ?? "cancelled",
          data,
          at,
        );
      default:
        return false;
    }
  }

  /**
   * Ends an execution no end event came for (the store is closing): cancelled, with
   * its running steps failed.
   */
  abandon(reason: string, at: number): void {
    this.#end("cancelled", reason, {}, at);
  }

  #end(
    status: ExecutionStatus,
    error: string | undefined,
    data: Record<string, unknown>,
    at: number,
  ) {
    this.status = status;
    this.error = error;
    this.completedAt = at;
    this.durationMs = elapsedOf(data) ?? at - this.startedAt;
    // A step still running when its execution ended did not finish.
    for (const step of this.steps) {
      if (step.status !== undefined) continue;
      step.status = "failed";
      step.error = `did not finish: the execution ended (${status})`;
      step.completedAt = at;
      step.durationMs = at - (step.startedAt ?? at);
    }
    return true;
  }

  #finishStep(
    data: Record<string, unknown>,
    at: number,
    status: StepStatus,
    output: unknown,
    error: string | undefined,
  ): void {
    const name = text(data.step_name) ?? "";
    const step = this.#latest(name, (s) => s.status === undefined) ?? this.#newStep(name, at);
    step.status = status;
    step.output = output;
    step.error = error;
    step.completedAt = at;
    step.durationMs = elapsedOf(data) ?? (step.startedAt === undefined ? 0 : at - step.startedAt);
  }

  /** Marks the step's last completed run compensated, or adds the compensation step's run. */
  #compensated(data: Record<string, unknown>, at: number): void {
    const name = text(data.step_name) ?? "";
    const step = this.#latest(name, (s) => s.status === "completed");
    if (step !== undefined) {
      step.status = "compensated";
      return;
    }
    const added = this.#newStep(name, at);
    added.status = "compensated";
    added.error = errorText(data.error);
    added.completedAt = at;
    added.durationMs = elapsedOf(data) ?? 0;
  }

  #mergeContinued(): void {
    if (this.#continued === undefined) return;
    this.#current = { ...this.#current, ...this.#continued };
    this.#continued = undefined;
  }

  #latest(name: string, matches: (step: StepRecord) => boolean): StepRecord | undefined {
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const step = this.steps[i] as StepRecord;
      if (step.name === name && matches(step)) return step;
    }
    return undefined;
  }

  #newStep(name: string, at: number): StepRecord {
    const step: StepRecord = {
      sequence: this.steps.length + 1,
      name,
      type: undefined,
      status: undefined,
      output: undefined,
      error: undefined,
      startedAt: at,
      completedAt: undefined,
      durationMs: undefined,
    };
    this.steps.push(step);
    return step;
  }
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : String(value);
}

/** An error as the text stored for it. */
export function errorText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** `elapsed` in ms, when the event gives a usable one. */
function elapsedOf(data: Record<string, unknown>): number | undefined {
  const elapsed = Number(data.elapsed);
  return data.elapsed !== undefined && Number.isFinite(elapsed) && elapsed >= 0
    ? Math.round(elapsed)
    : undefined;
}
