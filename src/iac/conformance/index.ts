/**
 * The provider conformance kit: scenarios any IaC provider — in-process, loaded from
 * a module path, or a plugin behind an adapter — runs to prove it meets the contract
 * the engine relies on. It covers upstream's conformance checks (upstream-iac.md §8)
 * plus the driver properties plan, apply, drift and destroy assume. Each scenario
 * gets a fresh provider and state store and drives the real engine; optional
 * interfaces the provider lacks, and resource types it does not declare, make the
 * scenarios that need them skip with a reason. The core has no test-framework
 * dependency: `runConformance` returns a report; `./vitest.js` registers the same
 * scenarios as vitest tests (describeConformance).
 */

export type { CallRecorder, RecordedCall } from "./call-recorder.js";
export {
  ConformanceFailure,
  ConformanceSkip,
  expectEqual,
  expectRejectsWith,
  expectResolves,
  expectThat,
} from "./conformance-failure.js";
export { conformanceScenarios } from "./conformance-scenarios.js";
export {
  type ConformanceCapability,
  type ConformanceConfig,
  type ConformanceProviderFactory,
  type ConformanceReport,
  type ConformanceStoreFactory,
  conformanceCapabilities,
  type FixtureRole,
  type Scenario,
  type ScenarioNeeds,
  type ScenarioResult,
  type ScenarioStatus,
} from "./conformance-types.js";
export { DEFAULT_FIXTURES, type ResourceFixture } from "./fixtures.js";
export {
  checkConformanceConfig,
  formatConformanceReport,
  runConformance,
} from "./run-conformance.js";
export {
  DEFAULT_SCENARIO_TIMEOUT_MS,
  INITIALIZE_TIMEOUT_MS,
  runScenario,
  type ScenarioOutcome,
} from "./run-scenario.js";
export { CONFORMANCE_MODULE, ScenarioContext, type Subject } from "./scenario-context.js";
