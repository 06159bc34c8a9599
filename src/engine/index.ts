/**
 * The pipeline engine as a library: build and run an app from a loaded config, and
 * the API step modules (`steps:` in the config) write their step types against.
 */
export { App, type AppOptions } from "./app.js";
export type { ExecResult, SqlDatabase } from "./database/sql-database.js";
export type { EventBus, EventHandler, EventPayload } from "./eventbus/event-bus.js";
export {
  HTTP_REQUEST,
  HTTP_RESPONSE,
  type HttpRequestInfo,
  type HttpResponder,
  PIPELINE_OUTPUT,
} from "./http/http-exchange.js";
export { createLogger } from "./logger.js";
export { type Execution, ExecutionError, type ExecutionOptions } from "./pipeline/pipeline.js";
export { Reloader } from "./reloader.js";
export { builtinSteps } from "./steps/builtin-steps.js";
export type {
  NestedStepConfig,
  PipelineCallResult,
  StepBuildContext,
  StepFactory,
  StepServices,
} from "./steps/step-factory.js";
export { StepTypeRegistry } from "./steps/step-registry.js";
export { render, templateDataOf, valueAtPath } from "./steps/step-runtime.js";
export type { UserStepRegistry } from "./steps/user-steps.js";
export { compileTemplate, compileValue, isTruthy, TemplateError } from "./templates/index.js";
export type {
  CompiledValue,
  RenderOptions,
  TemplateData,
  TemplateSite,
} from "./templates/template-api.js";
