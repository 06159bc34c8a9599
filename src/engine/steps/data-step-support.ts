/**
 * Small helpers shared by the data steps (validate, http_call, db_query, db_exec,
 * transform, publish): reading their config defensively (a config built outside the
 * loader is not schema-checked) and shaping their errors.
 */
import type {
  CallOptions,
  PipelineContext,
  PipelineStep,
  StepResult,
} from "../../contracts/index.js";
import type { StepBuildContext } from "./step-factory.js";

/** A build error: the step's label, then what is wrong with its config. */
export function configError(ctx: StepBuildContext, message: string): Error {
  return new Error(`${ctx.label}: ${message}`);
}

/** `config[key]` as a string (undefined when absent); anything else is a build error. */
export function optionalString(ctx: StepBuildContext, key: string): string | undefined {
  const value = ctx.config[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw configError(ctx, `config.${key} must be a string`);
  return value;
}

/** `config[key]` as a non-empty string; absent or empty is a build error. */
export function requiredString(ctx: StepBuildContext, key: string): string {
  const value = optionalString(ctx, key);
  if (value === undefined || value.trim() === "") {
    throw configError(ctx, `config.${key} is required`);
  }
  return value;
}

/** The first of `keys` that is set (an alias pair); setting both is a build error. */
export function aliased(
  ctx: StepBuildContext,
  keys: readonly [string, string],
): string | undefined {
  const [main, alias] = keys;
  if (ctx.config[main] !== undefined && ctx.config[alias] !== undefined) {
    throw configError(ctx, `set config.${main} or its alias config.${alias}, not both`);
  }
  return ctx.config[main] !== undefined
    ? main
    : ctx.config[alias] !== undefined
      ? alias
      : undefined;
}

/** A step named as configured, running `run`. */
export function pipelineStep(
  ctx: StepBuildContext,
  run: (pc: PipelineContext, opts: CallOptions) => Promise<StepResult>,
): PipelineStep {
  const name = ctx.name;
  return { name: () => name, execute: (pc, opts = {}) => run(pc, opts) };
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
