import type { CallOptions } from "./call-options.js";
import { hasMethods } from "./guards.js";

/**
 * Pipelines: the context that carries data from the trigger through each step, the
 * step contract, and the runner/registry contracts the engine exposes. Not serialised
 * by the seed (no JSON tags), so properties are camelCase.
 */

/**
 * The logger a pipeline writes template warnings to (the seed's *slog.Logger). Shaped
 * like pino's methods (`logger.warn({key}, "message")`) so a pino logger fits.
 */
export interface PipelineLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

// Own-property writes: a `__proto__` key from parsed JSON stays data, never a
// prototype. Plain assignment for every other key keeps objects fast.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

function copyInto(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>) {
  for (const key of Object.keys(source)) {
    setOwn(target, key, source[key]);
  }
  return target;
}

/** Data carried through one pipeline execution. */
export class PipelineContext {
  /** The trigger's data: a frozen shallow copy, immutable after creation. */
  readonly triggerData: Readonly<Record<string, unknown>>;
  /** Step name → a copy of that step's output, for completed, non-skipped steps. */
  readonly stepOutputs: Record<string, Record<string, unknown>>;
  /** Trigger data with every step output shallow-merged over it; later keys win. */
  readonly current: Record<string, unknown>;
  /** Execution metadata: pipeline name, started_at, trace ID, ... */
  readonly metadata: Record<string, unknown>;
  /** A template referencing a missing key fails instead of rendering empty. */
  strictTemplates = false;
  /** Where non-strict template warnings go; the engine's logger when unset. */
  logger: PipelineLogger | undefined;

  constructor(
    triggerData?: Readonly<Record<string, unknown>>,
    metadata?: Readonly<Record<string, unknown>>,
  ) {
    this.triggerData = Object.freeze(copyInto({}, triggerData ?? {}));
    this.stepOutputs = {};
    this.current = copyInto({}, triggerData ?? {});
    this.metadata = copyInto({}, metadata ?? {});
  }

  /**
   * Records a copy of `output` under `stepName` and merges it into `current`. A
   * missing (null/undefined) output records nothing (the executor passes `{}` for "ran, no output").
   */
  mergeStepOutput(
    stepName: string,
    output: Readonly<Record<string, unknown>> | null | undefined,
  ): void {
    if (output === undefined || output === null) {
      return;
    }
    setOwn(this.stepOutputs, stepName, copyInto({}, output));
    copyInto(this.current, output);
  }
}

/** The seed's constructor name. */
export function newPipelineContext(
  triggerData?: Readonly<Record<string, unknown>>,
  metadata?: Readonly<Record<string, unknown>>,
): PipelineContext {
  return new PipelineContext(triggerData, metadata);
}

/** Output of one step execution. */
export interface StepResult {
  /** Data the step produced. */
  output?: Record<string, unknown>;
  /** Jump to this step next (execution then continues in order from there). */
  nextStep?: string;
  /** Stop the pipeline after this step, successfully. */
  stop?: boolean;
  /** Bypassed by a guard (`skip_if`/`if`): not recorded in stepOutputs. */
  skipped?: boolean;
}

/** One composable unit of work in a pipeline. */
export interface PipelineStep {
  /** Unique within the pipeline. */
  name(): string;
  execute(pc: PipelineContext, opts?: CallOptions): Promise<StepResult>;
}

/** Records pipeline execution events for observability. */
export interface EventRecorder {
  recordEvent(
    executionID: string,
    eventType: string,
    data: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<void>;
}

/** A pipeline, as handlers run it without knowing its concrete type. */
export interface PipelineRunner {
  /** Runs with `data` as trigger data; resolves to the merged result (`current`). */
  run(data: Record<string, unknown>, opts?: CallOptions): Promise<Record<string, unknown>>;
  /** Idempotent: once a logger is set, later calls are no-ops. */
  setLogger(logger: PipelineLogger): void;
  /** Idempotent: once a recorder is set, later calls are no-ops. */
  setEventRecorder(recorder: EventRecorder): void;
}

/** Exposes the step types registered in a step registry. */
export interface StepRegistryProvider {
  types(): string[];
}

/**
 * Creates steps by type. `App` is the engine's application type (the seed types it as
 * any to avoid an import cycle); it defaults to unknown here for the same reason.
 */
export interface StepRegistrar<App = unknown> extends StepRegistryProvider {
  /** Throws for an unknown type or an invalid config. */
  create(stepType: string, name: string, config: Record<string, unknown>, app: App): PipelineStep;
}

export function isStepRegistryProvider(x: unknown): x is StepRegistryProvider {
  return hasMethods(x, "types");
}

export function isStepRegistrar(x: unknown): x is StepRegistrar {
  return hasMethods(x, "types", "create");
}
