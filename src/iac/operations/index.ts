/**
 * The IaC operations besides plan and apply, as library functions the `wfctl infra`
 * commands call: drift, refresh, status, import, destroy planning, tag cleanup,
 * scale, state-backend bootstrap, state export/import and outputs (with sensitive
 * masking). Each takes the run's ProviderSet and state store, returns a typed
 * result, never prints, and reports through IacEventSink where progress matters.
 * Those that write state expect the caller to hold the state lock.
 */
export {
  type BootstrapOptions,
  type BootstrapReport,
  bootstrapStateBackend,
  type ProviderBootstrap,
} from "./bootstrap-state-backend.js";
export {
  type CleanupError,
  type CleanupOptions,
  type CleanupReport,
  cleanupByTag,
  ENUMERATOR_MISSING,
} from "./cleanup-by-tag.js";
export {
  type CollectedOutputs,
  type CollectOutputsOptions,
  collectOutputs,
} from "./collect-outputs.js";
export { type DestroyPlan, type DestroyPlanOptions, destroyPlan } from "./destroy-plan.js";
export { type DetectDriftOptions, detectDrift } from "./detect-drift.js";
export { type ExportStateOptions, exportState } from "./export-state.js";
export { type ImportOptions, importResource } from "./import-resource.js";
export { type ImportStateOptions, type ImportStateResult, importState } from "./import-state.js";
export { type RefreshOptions, type RefreshResult, refreshState } from "./refresh-state.js";
export {
  resourceStatuses,
  type StatusOptions,
  type StatusReport,
  UNKNOWN_STATUS,
} from "./resource-statuses.js";
export { type ScaleOptions, scaleResource } from "./scale-resource.js";
export {
  driverSensitiveKeys,
  isSensitiveKey,
  SENSITIVE_MASK,
  SENSITIVE_OUTPUT_NAMES,
} from "./sensitive-keys.js";
export {
  parseStateDocument,
  STATE_DOCUMENT_VERSION,
  type StateDocument,
} from "./state-document.js";
export {
  type HealthWaitResult,
  type WaitHealthyOptions,
  waitHealthy,
} from "./wait-healthy.js";
