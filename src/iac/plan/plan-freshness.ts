import type { DriftEntry, IaCPlan, ResourceSpec, ResourceState } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { DesiredResource } from "../desired-resources.js";
import { configHash, desiredHash, inputSnapshot } from "../hashing.js";
import type { ProviderSet } from "../provider-set.js";
import { filterIncluded } from "./select-resources.js";
import { sizeSpecs } from "./sized-specs.js";
import { resolveAgainstState, stateOutputs } from "./state-references.js";

/**
 * `apply --plan FILE` refuses a plan the world has moved on from: a newer schema, no
 * hash, a changed input variable, a changed config (plan_hash), or a resource whose
 * state or resolved config (ResolvedConfigHash) is no longer what the plan saw.
 */

/** The newest plan schema this wfctl executes (2: configs with references left for apply). */
export const MAX_PLAN_SCHEMA_VERSION = 2;

export type PlanStaleReason = "missing_hash" | "inputs" | "config_hash" | "resources";

/** WF_ERR_PLAN_STALE, with what changed for callers that render it (`--json`). */
export class PlanStaleError extends WfError {
  readonly reason: PlanStaleReason;
  /** Changed inputs, sorted by name; "" stands for unset. */
  readonly inputDrift: readonly DriftEntry[];
  /** Resources whose state or resolved config changed. */
  readonly resources: readonly string[];

  constructor(
    reason: PlanStaleReason,
    message: string,
    details: { inputDrift?: readonly DriftEntry[]; resources?: readonly string[] } = {},
  ) {
    super("WF_ERR_PLAN_STALE", message);
    this.reason = reason;
    this.inputDrift = details.inputDrift ?? [];
    this.resources = details.resources ?? [];
  }
}

/** What apply recomputes from today's config and environment. */
export interface RecomputedPlanInputs {
  readonly plan_hash: string;
  /** From the strict OS environment. */
  readonly input_snapshot: Readonly<Record<string, string>>;
}

/** Throws unless the saved plan still describes today's config and inputs. */
export function checkPlanFresh(saved: IaCPlan, recomputed: RecomputedPlanInputs): void {
  const schema = saved.schema_version ?? 0;
  if (schema > MAX_PLAN_SCHEMA_VERSION) {
    throw new WfError(
      "WF_ERR_STATE_VERSION",
      `plan has schema_version ${schema}; this wfctl executes up to ${MAX_PLAN_SCHEMA_VERSION} — upgrade wfctl, or re-run plan with this one`,
    );
  }
  if (!saved.plan_hash) {
    throw new PlanStaleError(
      "missing_hash",
      "plan file has no hash — regenerate with: wfctl infra plan -o plan.json",
    );
  }
  const drift = inputDrift(saved.input_snapshot ?? {}, recomputed.input_snapshot);
  if (drift.length > 0) {
    const shown = (fingerprint: string) => fingerprint || "(unset)";
    throw new PlanStaleError(
      "inputs",
      [
        `plan stale: ${drift.length} input(s) changed since plan`,
        ...drift.map(
          (d) =>
            `  ${d.name}: fingerprint ${shown(d.plan_fingerprint)} (plan) → ${shown(d.apply_fingerprint)} (apply)`,
        ),
        "hint: restore these environment variables, or run wfctl infra plan -o FILE again",
      ].join("\n"),
      { inputDrift: drift },
    );
  }
  if (saved.plan_hash !== recomputed.plan_hash) {
    throw new PlanStaleError(
      "config_hash",
      "plan stale: config hash mismatch (run wfctl infra plan again)",
    );
  }
}

/** Variables whose fingerprint differs between two snapshots (set, unset or changed), by name. */
export function inputDrift(
  planned: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): DriftEntry[] {
  const names = [...new Set([...Object.keys(planned), ...Object.keys(current)])].sort();
  return names
    .map((name) => ({
      name,
      plan_fingerprint: planned[name] ?? "",
      apply_fingerprint: current[name] ?? "",
    }))
    .filter((d) => d.plan_fingerprint !== d.apply_fingerprint);
}

/**
 * Per action: state still holds what the plan saw (same provider ID; nothing where it
 * planned a create), and the desired config resolved against today's state still has
 * the action's ResolvedConfigHash. `specs` are the sized desired specs in the plan's
 * include scope. All stale resources are named at once.
 */
export function checkActionsFresh(
  saved: IaCPlan,
  specs: readonly ResourceSpec[],
  state: readonly ResourceState[],
): void {
  const stateByName = new Map(state.map((s) => [s.name, s]));
  const specByName = new Map(specs.map((s) => [s.name, s]));
  const outputs = stateOutputs(state);
  const unknownAfterApply = new Set(
    saved.actions
      .filter((a) => a.action === "create" || a.action === "replace")
      .map((a) => a.resource.name),
  );
  const problems: [name: string, problem: string][] = [];
  for (const action of saved.actions) {
    const name = action.resource.name;
    const now = stateByName.get(name);
    if (action.action === "create") {
      if (now) problems.push([name, `planned a create, but state now has it (${now.provider_id})`]);
    } else if (now && action.current && now.provider_id !== action.current.provider_id) {
      problems.push([
        name,
        `provider ID in state is ${now.provider_id}, the plan saw ${action.current.provider_id}`,
      ]);
    } else if (
      !now &&
      (action.action === "delete" || action.current?.applied_config_source !== "adoption")
    ) {
      // Only an adopted resource (found live at plan time) is planned without a state entry.
      problems.push([name, `planned ${action.action}, but it is no longer in state`]);
    }
    if (action.action === "delete") continue;
    const spec = specByName.get(name);
    if (spec === undefined) continue; // gone from config: the plan_hash check names that
    const hash = configHash(resolveAgainstState(spec.config, outputs, unknownAfterApply));
    if (hash !== (action.resolved_config_hash ?? "")) {
      problems.push([
        name,
        "its config resolves differently now (a referenced output changed in state)",
      ]);
    }
  }
  if (problems.length === 0) return;
  throw new PlanStaleError(
    "resources",
    [
      `plan stale: ${problems.length} resource change(s) since plan`,
      ...problems.map(([name, problem]) => `  ${name}: ${problem}`),
      "hint: run wfctl infra plan -o FILE again",
    ].join("\n"),
    { resources: [...new Set(problems.map(([name]) => name))] },
  );
}

export interface SavedPlanCheckInput {
  readonly desired: readonly DesiredResource[];
  readonly state: readonly ResourceState[];
  readonly providers: ProviderSet;
  readonly environ: Readonly<Record<string, string | undefined>>;
  readonly envVarNames: readonly string[];
  readonly signal?: AbortSignal;
}

/** Every check `apply --plan` makes, recomputed within the plan's include scope. */
export async function verifySavedPlan(saved: IaCPlan, input: SavedPlanCheckInput): Promise<void> {
  const selected = filterIncluded(input.desired, input.state, saved.include);
  const specs = await sizeSpecs(selected.desired, input.providers, input.signal);
  checkPlanFresh(saved, {
    plan_hash: desiredHash(specs),
    input_snapshot: inputSnapshot(input.envVarNames, input.environ),
  });
  checkActionsFresh(saved, specs, input.state);
}
