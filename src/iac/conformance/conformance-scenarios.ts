import { applyScenarios } from "./apply-scenarios.js";
import type { Scenario } from "./conformance-types.js";
import { driverScenarios } from "./driver-scenarios.js";
import { lifecycleScenarios } from "./lifecycle-scenarios.js";
import { planScenarios } from "./plan-scenarios.js";
import { platformScenarios } from "./platform-scenarios.js";
import { providerScenarios } from "./provider-scenarios.js";

/** Every scenario of the kit, in run order: cheap declarations first, then resources. */
export const conformanceScenarios: readonly Scenario[] = Object.freeze([
  ...providerScenarios,
  ...planScenarios,
  ...platformScenarios,
  ...driverScenarios,
  ...applyScenarios,
  ...lifecycleScenarios,
]);
