import {
  PipelineContext,
  type PipelineLogger,
  type PipelineStep,
  type TenantRegistry,
} from "../../../src/contracts/index.js";
import type { SqlDatabase } from "../../../src/engine/database/sql-database.js";
import type { EventBus } from "../../../src/engine/eventbus/event-bus.js";
import type { StepFactory, StepServices } from "../../../src/engine/steps/step-factory.js";
import { valueAtConfigPath } from "../../../src/engine/steps/step-registry.js";
import { compileValue } from "../../../src/engine/templates/index.js";

/** Log lines a step wrote, for assertions. */
export interface LoggedLine {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

export function recordingLogger(
  lines: LoggedLine[] = [],
): PipelineLogger & { lines: LoggedLine[] } {
  const at = (level: LoggedLine["level"]) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * Builds one step from its factory outside a pipeline, with the real template
 * compiler and the services a test gives (databases, bus, other pipelines).
 */
export function buildStep(
  factory: StepFactory,
  config: Record<string, unknown>,
  services: Partial<Omit<StepServices, "database" | "tenantRegistry">> & {
    databases?: Record<string, SqlDatabase>;
    tenantRegistries?: Record<string, TenantRegistry>;
    bus?: EventBus;
  } = {},
  name = "step",
): PipelineStep {
  const logger = services.logger ?? recordingLogger();
  const full: StepServices = {
    database: (module) => {
      const db = services.databases?.[module];
      if (!db) throw new Error(`no database "${module}"`);
      return db;
    },
    tenantRegistry: (module) => {
      const registry = services.tenantRegistries?.[module];
      if (!registry) throw new Error(`no tenants.registry "${module}"`);
      return () => registry;
    },
    eventBus: () => services.bus,
    callPipeline:
      services.callPipeline ??
      (async (pipeline) => {
        throw new Error(`no pipeline "${pipeline}"`);
      }),
    buildNested: services.buildNested ?? (() => []),
    logger,
  };
  return factory({
    pipeline: "test",
    name,
    type: "step.test",
    config,
    label: `pipeline "test" step "${name}"`,
    compile: (path, override) => {
      const value = override === undefined ? valueAtConfigPath(config, path) : override;
      return compileValue(value, { label: `step "${name}" config.${path.join(".")}` });
    },
    services: full,
  });
}

/** A context as a pipeline would pass it: trigger data, prior step outputs, metadata. */
export function contextWith(
  trigger: Record<string, unknown> = {},
  steps: Record<string, Record<string, unknown>> = {},
  metadata: Record<string, unknown> = {},
): PipelineContext {
  const pc = new PipelineContext(trigger, { pipeline: "test", ...metadata });
  for (const [name, output] of Object.entries(steps)) pc.mergeStepOutput(name, output);
  return pc;
}
