import type { IaCPlan } from "../../contracts/index.js";
import { PlanDiagnosticError, PlanDiagnosticWarning } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { IacEventSink } from "../../iac/iac-events.js";
import { computePlan, type PlanResult } from "../../iac/plan/index.js";
import { wfctlVersion } from "../version.js";
import type { InfraSession } from "./infra-session.js";

export interface PlanOptions {
  readonly include?: readonly string[];
  readonly strict: boolean;
  readonly environ: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly onEvent: IacEventSink;
}

/** Compute the plan of a session's config against its state (shared by plan and apply). */
export async function planSession(
  session: InfraSession,
  options: PlanOptions,
): Promise<PlanResult> {
  const state = await session.store.listResources();
  return computePlan({
    desired: session.infra.resources,
    state,
    providers: session.providers,
    ...(options.include ? { include: options.include } : {}),
    environ: options.environ,
    envVarNames: session.config.envVarsRead,
    generator: {
      wfctl_version: wfctlVersion,
      plugins: session.providers.names().map((name) => {
        const p = session.providers.get(name);
        return { name: p.name(), version: p.version() };
      }),
    },
    ...(options.signal ? { signal: options.signal } : {}),
    onEvent: options.onEvent,
  });
}

/**
 * Provider validator findings decide whether the plan may go on: an Error always
 * fails, a Warning fails under --strict, Info never does.
 */
export function failOnPlanDiagnostics(result: PlanResult, strict: boolean): void {
  const blocking = result.diagnostics.filter(
    (d) => d.severity === PlanDiagnosticError || (strict && d.severity === PlanDiagnosticWarning),
  );
  if (blocking.length > 0) {
    throw new WfError(
      "WF_ERR_IAC",
      `the plan has ${blocking.length} blocking finding(s) from provider validation${strict ? " (--strict)" : ""}; fix the resources named above`,
    );
  }
}

export function hasChanges(plan: IaCPlan): boolean {
  return plan.actions.length > 0;
}
