import type {
  CallOptions,
  PipelineLogger,
  PipelineStep,
  TenantRegistry,
} from "../../contracts/index.js";
import type { SqlDatabase } from "../database/sql-database.js";
import type { EventBus } from "../eventbus/event-bus.js";
import type { CompiledValue } from "../templates/template-api.js";

/** A step as configured inside another step (`step.foreach`, `step.parallel`, …). */
export interface NestedStepConfig {
  readonly name: string;
  readonly type: string;
  readonly config?: Readonly<Record<string, unknown>>;
}

/** A called pipeline's result and the data it ended with. */
export interface PipelineCallResult {
  /** `_pipeline_output` when a step set it, else `current`. */
  readonly output: Record<string, unknown>;
  readonly current: Record<string, unknown>;
  readonly steps: Record<string, Record<string, unknown>>;
}

/** What steps may use of the running app; each accessor fails clearly when absent. */
export interface StepServices {
  /** The `database.sqlite` / `database.postgres` module of that name. */
  database(module: string): SqlDatabase;
  /**
   * The `tenants.registry` module of that name (checked when the pipeline is built),
   * as a getter: the registry itself exists once the app has started.
   */
  tenantRegistry(module: string): () => TenantRegistry;
  /** The app's event bus, if it has an `eventbus.memory` module. */
  eventBus(): EventBus | undefined;
  /** Runs another pipeline of the app (`step.workflow_call`). */
  callPipeline(
    name: string,
    data: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<PipelineCallResult>;
  /** Builds steps configured inside a step, at `path` of its config. */
  buildNested(
    path: readonly (string | number)[],
    steps: readonly NestedStepConfig[],
  ): PipelineStep[];
  readonly logger: PipelineLogger;
}

/** Everything a step factory gets, once, when the pipeline is built. */
export interface StepBuildContext {
  readonly pipeline: string;
  readonly name: string;
  readonly type: string;
  /** The step's config as validated against its schema (defaults not filled in). */
  readonly config: Readonly<Record<string, unknown>>;
  /** `pipeline "orders" step "save"`, for messages. */
  readonly label: string;
  /**
   * The config value at `path` (e.g. `["values"]`, `["params", 0]`) with its templates
   * compiled; a syntax error is a load error at the value's position. `value`, when
   * given, is compiled instead (a form the step rewrote), still positioned at `path`.
   */
  compile(path: readonly (string | number)[], value?: unknown): CompiledValue;
  readonly services: StepServices;
}

/** Builds one step from its config; throws for a config it cannot run (the builder adds where). */
export type StepFactory = (ctx: StepBuildContext) => PipelineStep;
