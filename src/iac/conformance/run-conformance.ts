import { WfError } from "../../diagnostics/index.js";
import { conformanceScenarios } from "./conformance-scenarios.js";
import type {
  ConformanceConfig,
  ConformanceReport,
  Scenario,
  ScenarioResult,
} from "./conformance-types.js";
import { runScenario } from "./run-scenario.js";

/**
 * Throws WF_ERR_USAGE for a config the kit cannot run: no provider factory, or a
 * `skip` entry naming no scenario (a typo would otherwise silently run it).
 */
export function checkConformanceConfig(
  config: ConformanceConfig,
  scenarios: readonly Scenario[] = conformanceScenarios,
): void {
  if (typeof config?.provider !== "function") {
    throw new WfError(
      "WF_ERR_USAGE",
      "conformance: `provider` must be a factory returning a fresh, uninitialised IaCProvider",
    );
  }
  const ids = new Set(scenarios.map((s) => s.id));
  const unknown = Object.keys(config.skip ?? {}).filter((id) => !ids.has(id));
  if (unknown.length > 0) {
    throw new WfError(
      "WF_ERR_USAGE",
      `conformance: skip names unknown scenario(s) ${unknown.join(", ")}; scenario ids are: ${[...ids].join(", ")}`,
    );
  }
}

/**
 * Runs every conformance scenario against the provider, one at a time (each with a
 * fresh provider and state store), and reports each as passed, failed or skipped.
 * Resolves even when scenarios fail; throws only for an unusable config.
 */
export async function runConformance(
  config: ConformanceConfig,
  scenarios: readonly Scenario[] = conformanceScenarios,
): Promise<ConformanceReport> {
  checkConformanceConfig(config, scenarios);
  const results: ScenarioResult[] = [];
  let provider: ConformanceReport["provider"];
  for (const scenario of scenarios) {
    const outcome = await runScenario(scenario, config);
    results.push(outcome.result);
    provider ??= outcome.provider;
  }
  const count = (status: ScenarioResult["status"]) =>
    results.filter((r) => r.status === status).length;
  return {
    ...(provider ? { provider } : {}),
    results,
    passed: count("passed"),
    failed: count("failed"),
    skipped: count("skipped"),
  };
}

/** The report as text, one line per scenario, then a summary line. */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = report.results.map((r) => {
    const head = `${r.status.toUpperCase().padEnd(7)} ${r.id} (${r.durationMs} ms)`;
    const reason = r.reason ? `: ${r.reason}` : "";
    const warnings = (r.warnings ?? []).map((w) => `\n        warning: ${w}`).join("");
    return `${head}${reason}${warnings}`;
  });
  const who = report.provider ? `${report.provider.name} ${report.provider.version}: ` : "";
  lines.push(`${who}${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  return lines.join("\n");
}
