import { describe, it } from "vitest";
import { conformanceScenarios } from "./conformance-scenarios.js";
import type { ConformanceConfig, Scenario } from "./conformance-types.js";
import { checkConformanceConfig } from "./run-conformance.js";
import { DEFAULT_SCENARIO_TIMEOUT_MS, INITIALIZE_TIMEOUT_MS, runScenario } from "./run-scenario.js";

/** Room for set-up and clean-up around a scenario's own time limit. */
const OVERHEAD_MS = INITIALIZE_TIMEOUT_MS + 60_000;

/**
 * Registers the conformance kit as vitest tests: a `describe(name)` with one test
 * per scenario, named `<id>: <title>`. A skipped scenario is reported as skipped with
 * `skipped: <reason>`; a failed one fails with the check it broke. The only file of
 * the kit that imports vitest.
 */
export function describeConformance(
  name: string,
  config: ConformanceConfig,
  scenarios: readonly Scenario[] = conformanceScenarios,
): void {
  checkConformanceConfig(config, scenarios);
  const timeout = (config.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS) + OVERHEAD_MS;
  describe(name, () => {
    for (const scenario of scenarios) {
      it(`${scenario.id}: ${scenario.title}`, { timeout }, async (test) => {
        const { result, error } = await runScenario(scenario, config);
        for (const warning of result.warnings ?? []) await test.annotate(warning, "warning");
        if (result.status === "skipped") test.skip(`skipped: ${result.reason ?? ""}`);
        if (result.status === "failed") throw error ?? new Error(result.reason);
      });
    }
  });
}
