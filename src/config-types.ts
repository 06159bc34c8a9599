/**
 * The one place that knows every subsystem's config types: builds the registry the
 * loader validates against and `wfctl schema` publishes.
 */
import { registerBuildSection } from "./build/build-section.js";
import { ConfigTypeRegistry } from "./config/type-registry.js";
import { registerEngineModuleTypes } from "./engine/module-types.js";
import { registerStepTypes } from "./engine/step-types.js";
import { registerTriggerTypes } from "./engine/trigger-types.js";
import { registerUserStepsSection } from "./engine/user-steps-section.js";
import { registerIacModuleTypes } from "./iac/module-types.js";
import { registerTenantModuleTypes } from "./tenants/module-types.js";
import { registerTenantStepTypes } from "./tenants/step-types.js";

/** A fresh registry holding every built-in module, step and trigger type and the `build` section. */
export function createDefaultRegistry(): ConfigTypeRegistry {
  const registry = new ConfigTypeRegistry();
  registerEngineModuleTypes(registry);
  registerTenantModuleTypes(registry);
  registerIacModuleTypes(registry);
  registerStepTypes(registry);
  registerTenantStepTypes(registry);
  registerTriggerTypes(registry);
  registerBuildSection(registry);
  registerUserStepsSection(registry);
  return registry;
}
