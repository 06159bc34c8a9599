import type { WorkflowConfig } from "../../config/index.js";
import type { UserDiagnostic } from "../../diagnostics/index.js";
import { App } from "../../engine/app.js";
import { createLogger, type LogSink } from "../../engine/logger.js";
import { builtinSteps } from "../../engine/steps/builtin-steps.js";

/**
 * The app of a config with every built-in step type, logging to `sink`; with
 * `previous`, a reload that keeps its unchanged modules.
 */
export function buildEngineApp(
  config: WorkflowConfig,
  sink: LogSink,
  level = "info",
  previous?: App,
): Promise<App> {
  return App.build(config, {
    logger: createLogger(sink, level),
    steps: builtinSteps(),
    ...(previous ? { previous } : {}),
  });
}

/** The problems `wfctl run` would find building the config's pipelines (none: it would run). */
export function checkEngineApp(config: WorkflowConfig): Promise<UserDiagnostic[]> {
  return App.check(config, {
    logger: createLogger({ write: () => {} }, "error"),
    steps: builtinSteps(),
  });
}
