/**
 * wfctl as a library: the seed's contracts, the config loader with every subsystem's
 * config types registered, and the diagnostics every error is reported through.
 * Subsystems are exported here as they land.
 */
export * from "./config/index.js";
export { createDefaultRegistry } from "./config-types.js";
export * from "./contracts/index.js";
export * from "./diagnostics/index.js";
export * as engine from "./engine/index.js";
export * as iac from "./iac/index.js";
export * as migrations from "./migrations/index.js";
