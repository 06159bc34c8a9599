/**
 * The IaC engine: plan, apply (a DAG executor over ResourceDrivers), destroy, drift,
 * import and refresh over durable, locked state, with the providers of a config
 * loaded through a catalog. It never prints: callers listen to IacEvents.
 */
export * from "./apply/index.js";
export {
  type DesiredResource,
  type InfraModules,
  infraModules,
} from "./desired-resources.js";
export { configHash, desiredHash, inputFingerprint, inputSnapshot } from "./hashing.js";
export { type IacEvent, type IacEventSink, ignoreEvents } from "./iac-events.js";
export * from "./operations/index.js";
export * from "./plan/index.js";
export { ProviderCatalog, type ProviderFactory } from "./provider-catalog.js";
export { isProviderFinalizer, type ProviderFinalizer } from "./provider-finalizer.js";
export { ProviderSet } from "./provider-set.js";
export {
  findReferences,
  type OutputReference,
  parseReference,
  type ReferenceSources,
  type Resolution,
  resolveReferences,
} from "./references.js";
export * from "./state/index.js";
