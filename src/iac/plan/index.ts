/**
 * The plan engine: from the desired resources, state and the providers' drivers to an
 * IaCPlan in one global dependency order (creates, updates and replaces
 * dependencies-first, deletes last in reverse), with the seed's hashes and input
 * snapshot, provider validator findings, and the plan file `plan -o` writes and
 * `apply --plan` checks for staleness before executing it.
 */
export { clampDiffConcurrency, computePlan, DEFAULT_DIFF_CONCURRENCY } from "./compute-plan.js";
export { dependencyOrder } from "./dependency-order.js";
export { PLAN_FILE_VERSION, type PlanFile, readPlanFile, writePlanFile } from "./plan-file.js";
export {
  checkActionsFresh,
  checkPlanFresh,
  inputDrift,
  MAX_PLAN_SCHEMA_VERSION,
  PlanStaleError,
  type PlanStaleReason,
  type RecomputedPlanInputs,
  type SavedPlanCheckInput,
  verifySavedPlan,
} from "./plan-freshness.js";
export type {
  PendingReference,
  PlanInput,
  PlanResult,
  ProviderPlanDiagnostic,
} from "./plan-types.js";
export { filterIncluded, type SelectedResources, selectResources } from "./select-resources.js";
export { sizeSpecs } from "./sized-specs.js";
export { resolveAgainstState, type StateOutputs, stateOutputs } from "./state-references.js";
