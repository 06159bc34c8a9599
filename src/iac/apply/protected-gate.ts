import type { IaCPlan, PlanAction } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";

/**
 * The protected gate: a replace or delete of a protected resource needs its name in
 * `--allow-replace`. A resource is protected when its desired config or the config
 * it was last applied with says `protected: true`.
 */
export function isProtected(action: PlanAction): boolean {
  return (
    action.resource.config.protected === true || action.current?.applied_config?.protected === true
  );
}

/**
 * Throws WF_ERR_PROTECTED naming every blocker at once, in plan order. The suggested
 * flag repeats the names already allowed that this plan needs too, so re-running
 * with it as shown is enough.
 */
export function checkProtected(plan: IaCPlan, allowReplace: readonly string[]): void {
  const allowed = new Set(allowReplace);
  const destructive = plan.actions.filter(
    (a) => (a.action === "replace" || a.action === "delete") && isProtected(a),
  );
  const blockers = destructive.filter((a) => !allowed.has(a.resource.name));
  if (blockers.length === 0) return;
  const names = [...new Set(destructive.map((a) => a.resource.name))];
  throw new WfError(
    "WF_ERR_PROTECTED",
    [
      `plan would require destructive action on ${blockers.length} protected resource(s):`,
      ...blockers.map((a) => `  ${a.resource.name} (${a.action})`),
      "to authorize, re-run with:",
      `  --allow-replace=${names.join(",")}`,
    ].join("\n"),
  );
}
