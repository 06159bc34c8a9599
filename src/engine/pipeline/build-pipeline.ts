import type { PipelineConfig, StepConfig, WorkflowConfig } from "../../config/index.js";
import { parseDuration } from "../../config/index.js";
import type { PipelineContext, PipelineStep } from "../../contracts/index.js";
import { formatDiagnostic, type UserDiagnostic, WfError } from "../../diagnostics/index.js";
import type { NestedStepConfig, StepServices } from "../steps/step-factory.js";
import { type StepTypeRegistry, valueAtConfigPath } from "../steps/step-registry.js";
import { render } from "../steps/step-runtime.js";
import { compileValue, isTruthy, TemplateError } from "../templates/index.js";
import type { CompiledValue } from "../templates/template-api.js";
import type { ConfiguredStep, PipelineDefinition } from "./pipeline.js";

type Path = readonly (string | number)[];

/** What building a pipeline needs besides its config. */
export interface BuildContext {
  readonly config: WorkflowConfig;
  readonly registry: StepTypeRegistry;
  /** Services for the steps; `buildNested` is supplied here. */
  readonly services: Omit<StepServices, "buildNested">;
}

/**
 * Turns a pipeline's config into a runnable definition: every step built by its
 * type's factory, every template compiled once. Any problem (unknown type, bad
 * template, a config the factory refuses) is a load error naming FILE:LINE:COL.
 */
export function buildPipelineDefinition(
  pipeline: PipelineConfig,
  ctx: BuildContext,
): PipelineDefinition {
  const base: Path = ["pipelines", pipeline.name];
  const build = (list: "steps" | "compensation") =>
    (pipeline[list] as readonly StepConfig[]).map((step, i) =>
      configureStep(step, [...base, list, i], pipeline.name, ctx),
    );
  const timeoutMs = durationAt(pipeline.timeout, [...base, "timeout"], pipeline.name, ctx);
  return {
    name: pipeline.name,
    steps: build("steps"),
    compensation: build("compensation"),
    onError: pipeline.on_error,
    strictTemplates: pipeline.strict_templates,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

function configureStep(
  step: StepConfig,
  path: Path,
  pipeline: string,
  ctx: BuildContext,
): ConfiguredStep {
  const built = buildStep(step, path, pipeline, ctx);
  const guard = (key: "if" | "skip_if") => {
    const text = step[key];
    if (text === undefined) return undefined;
    const compiled = compileAt(ctx, [...path, key], text, `${labelOf(pipeline, step.name)} ${key}`);
    return (pc: PipelineContext) => isTruthy(render(pc, compiled));
  };
  const skipIf = guard("skip_if");
  const runIf = guard("if");
  const timeoutMs = durationAt(step.timeout, [...path, "timeout"], pipeline, ctx);
  return {
    step: built,
    type: step.type,
    ...(skipIf ? { skipIf } : {}),
    ...(runIf ? { runIf } : {}),
    ...(step.on_error ? { onError: step.on_error } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(step.error_status !== undefined ? { errorStatus: step.error_status } : {}),
  };
}

/** One step (or a nested one) from its type's factory, with positioned errors. */
function buildStep(
  step: NestedStepConfig,
  path: Path,
  pipeline: string,
  ctx: BuildContext,
): PipelineStep {
  const label = labelOf(pipeline, step.name);
  const config = step.config ?? {};
  const services: StepServices = {
    ...ctx.services,
    buildNested: (at, steps) =>
      steps.map((nested, i) => buildStep(nested, [...path, "config", ...at, i], pipeline, ctx)),
  };
  try {
    return ctx.registry.factory(step.type)({
      pipeline,
      name: step.name,
      type: step.type,
      config,
      label,
      compile: (at, value) =>
        compileAt(
          ctx,
          [...path, "config", ...at],
          value === undefined ? valueAtConfigPath(config, at) : value,
          `${label} config.${at.join(".")}`,
        ),
      services,
    });
  } catch (err) {
    if (WfError.is(err)) throw err;
    throw loadError(
      ctx,
      [...path, step.type === undefined ? "name" : "type"],
      prefixed(label, (err as Error).message),
      err,
    );
  }
}

function compileAt(ctx: BuildContext, path: Path, value: unknown, label: string): CompiledValue {
  const position = ctx.config.locate(path);
  try {
    return compileValue(value, { label, ...(position ? { position } : {}) });
  } catch (err) {
    if (err instanceof TemplateError) throw loadError(ctx, path, err.message, err);
    throw err;
  }
}

function durationAt(text: string | undefined, path: Path, pipeline: string, ctx: BuildContext) {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw loadError(ctx, path, `pipeline "${pipeline}": "${text}" is not a duration (e.g. 5s, 2m)`);
  }
  return ms;
}

const labelOf = (pipeline: string, step: string) => `pipeline "${pipeline}" step "${step}"`;

/**
 * A config error at the value's position, as a diagnostic (`FILE:LINE:COL: message`);
 * the engine collects them from every pipeline before failing.
 */
export function loadError(
  ctx: BuildContext,
  path: Path,
  message: string,
  cause?: unknown,
): WfError {
  const source = ctx.config.locate(path);
  const diagnostic: UserDiagnostic = {
    severity: "error",
    code: "WF_ERR_CONFIG_SCHEMA",
    message,
    ...(source ? { source } : {}),
  };
  return new WfError("WF_ERR_CONFIG_SCHEMA", formatDiagnostic(diagnostic), {
    diagnostics: [diagnostic],
    ...(cause !== undefined ? { cause } : {}),
  });
}

/** `label: message`, unless the message already starts with the label. */
function prefixed(label: string, message: string): string {
  return message.startsWith(label) ? message : `${label}: ${message}`;
}
