import type { DriftEntry } from "../../contracts/index.js";

/**
 * The seed's InputDriftReport: variables whose fingerprint at apply differs from the
 * plan's, sorted by name. Tolerant, as upstream's postcondition: a variable set at
 * plan and unset now is not drift (`apply --plan` has already checked strictly).
 */
export function inputDriftReport(
  planSnapshot: Readonly<Record<string, string>>,
  applySnapshot: Readonly<Record<string, string>>,
): DriftEntry[] {
  return Object.keys(planSnapshot)
    .sort()
    .flatMap((name) => {
      const planned = planSnapshot[name]!;
      const now = Object.hasOwn(applySnapshot, name) ? applySnapshot[name] : undefined;
      return now === undefined || now === planned
        ? []
        : [{ name, plan_fingerprint: planned, apply_fingerprint: now }];
    });
}
