/**
 * Config loading: reads a wfctl YAML file and its imports with source positions,
 * applies `--env` overrides, expands `${VAR}` in module config, and validates the whole
 * result against the schema built from the registered module, step and trigger types
 * (plus semantic rules: unique names, dependencies, step routes), reporting every
 * problem at once as `FILE:LINE:COL` diagnostics. The loaded config is typed, frozen,
 * and can say where each of its values was written.
 */
export { buildConfigSchema } from "./config-schema.js";
export {
  type ConfigPath,
  type EnvironmentConfig,
  type LoadOptions,
  type LoadResult,
  type ModuleConfig,
  PIPELINE_ON_ERROR,
  type PipelineConfig,
  type PipelineOnError,
  STEP_ON_ERROR,
  type StepConfig,
  type StepOnError,
  type TriggerConfig,
  type WorkflowConfig,
} from "./config-types.js";
export { DURATION_EXAMPLES, parseDuration } from "./duration.js";
export { DEFAULT_CONFIG_FILES, findConfigFile } from "./find-config-file.js";
export { loadConfig } from "./load-config.js";
export { nearest as nearestName } from "./suggest.js";
export {
  type ConfigTypeDefinition,
  ConfigTypeRegistry,
  type JsonSchema,
  type SectionDefinition,
  type TypeKind,
} from "./type-registry.js";
