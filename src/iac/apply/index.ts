/**
 * Apply: executes an IaCPlan against providers' drivers. A DAG executor runs each
 * action as soon as the actions it depends on have succeeded, bounded by
 * `--parallelism`; each action resolves `${…}` just in time, records a write-ahead
 * intent before creating anything, checks what the driver returns, and saves state
 * before the next dependent starts. Also here: the protected gate, crash recovery
 * from intents, FinalizeApply, the input drift report and the troubleshoot helper.
 * The engine never prints: it reports through IacEvents.
 */
export { actionDependencies, resourceNeeds } from "./action-dependencies.js";
export { type ApplyInput, applyPlan, DEFAULT_PARALLELISM } from "./apply-plan.js";
export {
  DagCycleError,
  type DagOptions,
  type DagSkip,
  type DagTask,
  type DagTaskResult,
  executeDag,
} from "./dag-executor.js";
export {
  defaultReplace,
  ReplaceError,
  type ReplaceStep,
  replacerErrorMessage,
} from "./default-replace.js";
export { finalizeProviders, PLAN_FINALIZE } from "./finalize-providers.js";
export { inputDriftReport } from "./input-drift.js";
export { checkOutput, inputIdWarning, OutputRejected } from "./output-checks.js";
export { checkProtected, isProtected } from "./protected-gate.js";
export { type ReconcileSummary, reconcileIntents } from "./reconcile-intents.js";
export { sensitiveMap, sensitiveOutputKeys } from "./sensitive-outputs.js";
export { TROUBLESHOOT_TIMEOUT_MS, troubleshoot } from "./troubleshoot.js";
