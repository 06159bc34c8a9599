import type { FieldChange, IaCPlan, PlanAction, PlanDiagnostic } from "../../contracts/index.js";
import { planDiagnosticSeverityName } from "../../contracts/index.js";

/** How a plan reads for a person (Terraform's symbols and closing line). */

const symbols = { create: "+", update: "~", replace: "±", delete: "-" } as const;

export interface PlanViewOptions {
  /** Keys whose values print as `(sensitive)` unless showSensitive. */
  readonly isSensitive: (resource: string, key: string) => boolean;
  readonly showSensitive: boolean;
  readonly pendingReferences?: readonly { resource: string; reference: string }[];
}

export function planSummary(plan: IaCPlan): string {
  const count = (kind: PlanAction["action"]) =>
    plan.actions.filter((a) => a.action === kind).length;
  if (plan.actions.length === 0) return "No changes. Infrastructure is up-to-date.";
  return `Plan: ${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to destroy.`;
}

export function renderPlan(plan: IaCPlan, options: PlanViewOptions): string {
  if (plan.actions.length === 0) return `${planSummary(plan)}\n`;
  const lines: string[] = [];
  const nameWidth = Math.max(0, ...plan.actions.map((a) => a.resource.name.length));
  for (const action of plan.actions) {
    const { name, type } = action.resource;
    lines.push(
      `  ${symbols[action.action]} ${action.action.padEnd(8)} ${name.padEnd(nameWidth)}  (${type})`,
    );
    for (const change of action.changes ?? [])
      lines.push(`      ${renderChange(name, change, options)}`);
  }
  const pending = options.pendingReferences ?? [];
  if (pending.length > 0) {
    lines.push("", "Pending JIT resolution (apply-time):");
    for (const p of pending) lines.push(`  ${p.resource}: ${p.reference}`);
  }
  lines.push("", planSummary(plan));
  return `${lines.join("\n")}\n`;
}

function renderChange(resource: string, change: FieldChange, options: PlanViewOptions): string {
  const top = change.path.split(/[.[]/)[0] ?? change.path;
  const hidden = !options.showSensitive && options.isSensitive(resource, top);
  const show = (v: unknown) =>
    hidden ? "(sensitive)" : v === undefined ? "null" : JSON.stringify(v);
  const forced = change.force_new ? " (forces replacement)" : "";
  return `${change.path}: ${show(change.old)} → ${show(change.new)}${forced}`;
}

export function renderPlanDiagnostic(d: PlanDiagnostic): string {
  const where = [d.resource ? `resource "${d.resource}"` : "", d.field ? `field ${d.field}` : ""]
    .filter(Boolean)
    .join(" ");
  return `${planDiagnosticSeverityName(d.severity)}: ${where ? `${where}: ` : ""}${d.message}`;
}
