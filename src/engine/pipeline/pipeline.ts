import {
  asValidationError,
  type CallOptions,
  type EventRecorder,
  type PipelineContext,
  type PipelineLogger,
  type PipelineRunner,
  type PipelineStep,
  type StepResult,
  ValidationError,
} from "../../contracts/index.js";
import { isoNow } from "../../iso-time.js";
import { uuidV7 } from "../../uuid-v7.js";
import { PIPELINE_OUTPUT } from "../http/http-exchange.js";
import { EngineContext } from "./engine-context.js";
import { type ExecutionEvents, hasEventsOf } from "./execution-events.js";
import type { PipelineObserver } from "./pipeline-observer.js";
import { abortable, PipelineTimeoutError, StepTimeoutError } from "./timeouts.js";

/** How a pipeline reacts to a failed step (a step's `on_error: continue` overrides it). */
export type PipelineErrorStrategy = "stop" | "skip" | "compensate";

/** A built step with the per-step settings the executor applies around it. */
export interface ConfiguredStep {
  readonly step: PipelineStep;
  readonly type: string;
  /** Evaluated before the step: truthy skips it. */
  readonly skipIf?: (pc: PipelineContext) => boolean;
  /** Evaluated before the step: falsy skips it. */
  readonly runIf?: (pc: PipelineContext) => boolean;
  readonly onError?: "stop" | "continue";
  readonly timeoutMs?: number;
  /** A failure that is not already a ValidationError becomes one with this status. */
  readonly errorStatus?: number;
}

export interface PipelineDefinition {
  readonly name: string;
  readonly steps: readonly ConfiguredStep[];
  readonly compensation: readonly ConfiguredStep[];
  readonly onError: PipelineErrorStrategy;
  readonly timeoutMs?: number;
  readonly strictTemplates: boolean;
}

export interface ExecutionOptions extends CallOptions {
  /** Defaults to a fresh UUID (version 7: later executions sort later). */
  readonly executionId?: string;
  /** `http`, `schedule`, `event`, `call`, `cli`. */
  readonly triggerType?: string;
  /** Extra metadata (the HTTP exchange, the tenant…), merged before the run. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Asks the execution store to keep this execution's data whatever `record_data` says. */
  readonly trace?: boolean;
}

/** The outcome of a successful execution. */
export interface Execution {
  readonly id: string;
  readonly context: PipelineContext;
  /** `_pipeline_output` when a step set it, else `current`. */
  readonly output: Record<string, unknown>;
}

/** A failed execution's error carries its id, so callers can point at the record. */
export class ExecutionError extends Error {
  constructor(
    message: string,
    readonly executionId: string,
    readonly pipeline: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "ExecutionError";
  }
}

/** Guards against `next_step` loops that would never end. */
const MAX_STEP_RUNS = 10_000;

/**
 * A runnable pipeline with the seed's semantics: `current` = trigger data with every
 * step's output merged in order; `next_step` jumps and continues from there; `stop`
 * ends successfully; skipped steps leave no output. Failures follow `on_error`
 * (stop, skip, compensate in reverse order) unless the step says `continue`.
 */
export class Pipeline implements PipelineRunner {
  #logger: PipelineLogger | undefined;
  #recorder: EventRecorder | undefined;
  /** Step name → position, for `next_step`. */
  readonly #index: ReadonlyMap<string, number>;

  constructor(
    readonly definition: PipelineDefinition,
    private readonly observer: PipelineObserver,
  ) {
    this.#index = new Map(definition.steps.map((s, i) => [s.step.name(), i]));
  }

  get name(): string {
    return this.definition.name;
  }

  setLogger(logger: PipelineLogger): void {
    this.#logger ??= logger;
  }

  setEventRecorder(recorder: EventRecorder): void {
    this.#recorder ??= recorder;
  }

  async run(
    data: Record<string, unknown>,
    opts: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    return (await this.execute(data, opts)).context.current;
  }

  async execute(
    data: Readonly<Record<string, unknown>>,
    opts: ExecutionOptions = {},
  ): Promise<Execution> {
    const def = this.definition;
    const id = opts.executionId ?? uuidV7();
    const started = performance.now();
    // Not `{...opts.metadata, pipeline, …}`: V8 builds that (spread, then named keys)
    // as a slow object, measured at ~5 µs per execution.
    const metadata: Record<string, unknown> = Object.assign({}, opts.metadata);
    metadata.pipeline = def.name;
    metadata.execution_id = id;
    metadata.trigger_type = opts.triggerType ?? "call";
    metadata.started_at = isoNow();
    const pc = new EngineContext(data, metadata);
    pc.strictTemplates = def.strictTemplates;
    pc.logger = this.#logger;
    // Undefined without a recorder: `record?.(…)` then builds no event at all.
    const record = this.#record(id);
    const observed = this.observer.started(def.name, id, pc);
    record?.("execution.started", {
      pipeline: def.name,
      step_count: def.steps.length,
      trigger_type: opts.triggerType ?? "call",
      trigger_data: data,
      ...(opts.metadata?.tenant_id ? { tenant_id: opts.metadata.tenant_id } : {}),
      ...(opts.trace ? { trace: true } : {}),
    });
    const signal = combined(
      opts.signal,
      def.timeoutMs ? AbortSignal.timeout(def.timeoutMs) : undefined,
    );
    try {
      await this.#runSteps(pc, signal, record);
      const output = outputOf(pc);
      const elapsed = performance.now() - started;
      // An output that is `current` is not recorded: readers rebuild it from the trigger
      // data and step outputs recorded already (as upstream, which records none).
      record?.(
        "execution.completed",
        output === pc.current
          ? { pipeline: def.name, elapsed: Math.round(elapsed) }
          : { pipeline: def.name, elapsed: Math.round(elapsed), output },
      );
      observed.completed(elapsed, output);
      return { id, context: pc, output };
    } catch (raw) {
      const err = timedOut(raw, signal, opts.signal, def);
      const elapsed = performance.now() - started;
      const cancelled = opts.signal?.aborted === true;
      record?.(cancelled ? "execution.cancelled" : "execution.failed", {
        error: err.message,
        elapsed: Math.round(elapsed),
      });
      observed.failed(elapsed, err);
      throw new ExecutionError(err.message, id, def.name, { cause: err });
    }
  }

  async #runSteps(
    pc: PipelineContext,
    signal: AbortSignal | undefined,
    record: ExecutionEvents | undefined,
  ): Promise<void> {
    const { steps, onError } = this.definition;
    const index = this.#index;
    let runs = 0;
    for (let i = 0; i < steps.length; i++) {
      if (++runs > MAX_STEP_RUNS) {
        throw new Error(`pipeline ran more than ${MAX_STEP_RUNS} steps: a next_step loop?`);
      }
      signal?.throwIfAborted();
      const configured = steps[i] as ConfiguredStep;
      const name = configured.step.name();
      const reason = skipReason(configured, pc);
      if (reason) {
        record?.("step.skipped", { step_name: name, reason });
        continue;
      }
      record?.("step.started", { step_name: name, step_type: configured.type, index: i });
      const stepStarted = performance.now();
      let result: StepResult;
      try {
        result = await runStep(configured, pc, signal);
      } catch (raw) {
        if (signal?.aborted) throw raw;
        const err = withErrorStatus(raw, configured.errorStatus);
        record?.("step.failed", {
          step_name: name,
          error: err.message,
          elapsed: elapsedSince(stepStarted),
        });
        if (
          configured.onError === "continue" ||
          (configured.onError !== "stop" && onError === "skip")
        ) {
          pc.mergeStepOutput(name, { _error: err.message, _skipped: true });
          continue;
        }
        const failure = wrapStepError(name, err);
        if (onError === "compensate") throw await this.#compensate(pc, failure, record);
        throw failure;
      }
      if (result.skipped) {
        record?.("step.skipped", { step_name: name, reason: "the step skipped itself" });
        continue;
      }
      const output = result.output ?? {};
      pc.mergeStepOutput(name, output);
      record?.("step.completed", { step_name: name, elapsed: elapsedSince(stepStarted), output });
      if (result.stop) return;
      if (result.nextStep !== undefined) {
        const target = index.get(result.nextStep);
        if (target === undefined) {
          throw new Error(`step "${name}" routed to unknown step "${result.nextStep}"`);
        }
        record?.("conditional.routed", { step_name: name, next_step: result.nextStep });
        i = target - 1;
      }
    }
  }

  /** Runs the compensation steps in reverse order; the failure names how it went. */
  async #compensate(
    pc: PipelineContext,
    failure: Error,
    record: ExecutionEvents | undefined,
  ): Promise<Error> {
    record?.("saga.compensating", { error: failure.message });
    const errors: string[] = [];
    for (const configured of [...this.definition.compensation].reverse()) {
      const name = configured.step.name();
      try {
        const result = await runStep(
          configured,
          pc,
          AbortSignal.timeout(configured.timeoutMs ?? 30_000),
        );
        pc.mergeStepOutput(name, result.output ?? {});
        record?.("step.compensated", { step_name: name });
      } catch (err) {
        errors.push(`${name}: ${(err as Error).message}`);
      }
    }
    record?.("saga.compensated", { errors });
    const suffix =
      errors.length === 0
        ? " (compensation executed)"
        : ` (compensation also failed: ${errors.join("; ")})`;
    return cloneWithMessage(failure, `${failure.message}${suffix}`);
  }

  #record(id: string): ExecutionEvents | undefined {
    const recorder = this.#recorder;
    if (!recorder) return undefined;
    if (hasEventsOf(recorder)) return recorder.eventsOf(id);
    return (type, data) => {
      // Recording never fails or slows the pipeline; the store logs its own failures and
      // masks credentials (Authorization, cookies, *_token…) in what it writes.
      recorder.recordEvent(id, type, data).catch(ignore);
    };
  }
}

const ignore = () => {};

function skipReason(configured: ConfiguredStep, pc: PipelineContext): string | undefined {
  if (configured.skipIf?.(pc)) return "skip_if was true";
  if (configured.runIf && !configured.runIf(pc)) return "if was false";
  return undefined;
}

/** Not an async function on the common paths: one promise less per step. */
function runStep(
  configured: ConfiguredStep,
  pc: PipelineContext,
  signal: AbortSignal | undefined,
): Promise<StepResult> {
  if (configured.timeoutMs === undefined) {
    if (!signal) return configured.step.execute(pc, NO_OPTIONS);
    return abortable(configured.step.execute(pc, { signal }), signal);
  }
  return runWithTimeout(configured, pc, signal, configured.timeoutMs);
}

const NO_OPTIONS: CallOptions = Object.freeze({});

async function runWithTimeout(
  configured: ConfiguredStep,
  pc: PipelineContext,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<StepResult> {
  const own = AbortSignal.timeout(timeoutMs);
  const both = signal ? AbortSignal.any([signal, own]) : own;
  try {
    return await abortable(configured.step.execute(pc, { signal: both }), both);
  } catch (err) {
    if (own.aborted && !signal?.aborted)
      throw new StepTimeoutError(configured.step.name(), timeoutMs);
    throw err;
  }
}

function withErrorStatus(raw: unknown, status: number | undefined): Error {
  const err = raw instanceof Error ? raw : new Error(String(raw));
  if (status === undefined || asValidationError(err)) return err;
  return new ValidationError(err.message, status, { cause: err });
}

/** `step "save" failed: …`, keeping a ValidationError's status, field and code. */
function wrapStepError(name: string, err: Error): Error {
  return cloneWithMessage(err, `step "${name}" failed: ${err.message}`);
}

function cloneWithMessage(err: Error, message: string): Error {
  const ve = asValidationError(err);
  if (ve) {
    return new ValidationError(message, ve.status, {
      ...(ve.field !== undefined ? { field: ve.field } : {}),
      ...(ve.code !== undefined ? { code: ve.code } : {}),
      cause: err,
    });
  }
  return new Error(message, { cause: err });
}

/** One signal for both, or the one there is (none: nothing can abort the run). */
function combined(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

function timedOut(
  raw: unknown,
  signal: AbortSignal | undefined,
  callerSignal: AbortSignal | undefined,
  def: PipelineDefinition,
): Error {
  if (signal?.aborted && callerSignal?.aborted !== true && def.timeoutMs !== undefined) {
    return new PipelineTimeoutError(def.name, def.timeoutMs);
  }
  return raw instanceof Error ? raw : new Error(String(raw));
}

function outputOf(pc: PipelineContext): Record<string, unknown> {
  const output = pc.metadata[PIPELINE_OUTPUT];
  return output !== null && typeof output === "object"
    ? (output as Record<string, unknown>)
    : pc.current;
}

const elapsedSince = (start: number): number => Math.round(performance.now() - start);
