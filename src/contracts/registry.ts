import { hasMethods } from "./guards.js";
import type { Trigger } from "./trigger.js";

/**
 * Service-registry contracts that decouple server startup from concrete modules: the
 * trigger registry, the workflow store and the OpenAPI schema registrar. The step
 * registry contracts live with the pipeline (pipeline.ts), as in the seed.
 */

/** Manages registered triggers. */
export interface TriggerRegistrar<App = unknown> {
  registerTrigger(trigger: Trigger<App>): void;
}

/** A service exposing the workflow data store. */
export interface WorkflowStoreProvider {
  /** Module name, for logs. */
  name(): string;
  /** The store, opaque: callers narrow it to the concrete type they expect. */
  workflowStore(): unknown;
}

/** Registers admin API schemas into the OpenAPI spec and applies them. */
export interface SchemaRegistrar {
  /** Module name, for logs. */
  name(): string;
  registerAdminSchemas(): void;
  /** Applies registered component schemas and operation overrides to the spec. */
  applySchemas(): void;
}

export function isTriggerRegistrar(x: unknown): x is TriggerRegistrar {
  return hasMethods(x, "registerTrigger");
}

export function isWorkflowStoreProvider(x: unknown): x is WorkflowStoreProvider {
  return hasMethods(x, "name", "workflowStore");
}

export function isSchemaRegistrar(x: unknown): x is SchemaRegistrar {
  return hasMethods(x, "name", "registerAdminSchemas", "applySchemas");
}
