/**
 * Plan-time findings of a ProviderValidator (cross-resource constraints), distinct
 * from the runtime Troubleshooter `Diagnostic`. Exit codes of `wfctl infra align`:
 * error always fails, warning fails only under `--strict`, info never does.
 */

export const PlanDiagnosticSeverity = Object.freeze({
  Info: 0,
  Warning: 1,
  Error: 2,
} as const);
export type PlanDiagnosticSeverity =
  (typeof PlanDiagnosticSeverity)[keyof typeof PlanDiagnosticSeverity];

// The seed's constant names.
export const PlanDiagnosticInfo = PlanDiagnosticSeverity.Info;
export const PlanDiagnosticWarning = PlanDiagnosticSeverity.Warning;
export const PlanDiagnosticError = PlanDiagnosticSeverity.Error;

/** Lower-case names, indexed by severity value. */
export const planDiagnosticSeverityNames = Object.freeze(["info", "warning", "error"] as const);
export type PlanDiagnosticSeverityName = (typeof planDiagnosticSeverityNames)[number];

export function isPlanDiagnosticSeverity(x: unknown): x is PlanDiagnosticSeverity {
  return (
    typeof x === "number" && Number.isInteger(x) && x >= 0 && x < planDiagnosticSeverityNames.length
  );
}

/** The lower-case name of `s`; throws a RangeError for an unknown value. */
export function planDiagnosticSeverityName(s: PlanDiagnosticSeverity): PlanDiagnosticSeverityName {
  const name = isPlanDiagnosticSeverity(s) ? planDiagnosticSeverityNames[s] : undefined;
  if (name === undefined) {
    throw new RangeError(`unknown plan diagnostic severity ${String(s)}`);
  }
  return name;
}

/** The severity a lower-case name denotes, or undefined for an unknown name. */
export function parsePlanDiagnosticSeverity(name: string): PlanDiagnosticSeverity | undefined {
  const index = (planDiagnosticSeverityNames as readonly string[]).indexOf(name);
  return index < 0 ? undefined : (index as PlanDiagnosticSeverity);
}

/** One finding against an IaCPlan. */
export interface PlanDiagnostic {
  severity: PlanDiagnosticSeverity;
  /** Offending resource; absent for plan-level findings. */
  resource?: string;
  /** Dotted/bracketed path within the resource (`vpc_ref`, `tags[0].key`). */
  field?: string;
  message: string;
}
