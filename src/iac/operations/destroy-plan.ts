import { randomUUID } from "node:crypto";
import type { IaCPlan, PlanAction, ResourceState } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { dependencyOrder } from "../plan/dependency-order.js";
import { appliedSpecOf } from "./provider-groups.js";

export interface DestroyPlanOptions {
  /**
   * Destroy only these resources, plus everything in state that depends on them
   * (directly or not), since a resource cannot be deleted from under its dependents.
   * Absent: everything in state.
   */
  readonly include?: readonly string[];
}

export interface DestroyPlan {
  /** Delete actions, dependents before what they depend on. */
  readonly plan: IaCPlan;
  /** Resource name → the `iac.provider` module that manages it (from state). */
  readonly providerOf: Readonly<Record<string, string>>;
}

/**
 * The plan `wfctl infra destroy` runs through applyPlan: one delete per state entry,
 * in reverse dependency order (a resource is deleted only after everything that
 * depends on it), the same order for the same state. Dependencies on names outside
 * state are ignored; a dependency cycle in state fails naming its members.
 */
export function destroyPlan(
  state: readonly ResourceState[],
  options: DestroyPlanOptions = {},
): DestroyPlan {
  const byName = new Map(state.map((e) => [e.name, e]));
  const selected = options.include ? withDependents(state, byName, options.include) : byName;

  const dependencies = new Map([...selected.values()].map((e) => [e.name, e.dependencies]));
  // Dependencies-first, reversed: each resource goes after everything depending on it.
  const order = dependencyOrder([...selected.keys()].sort(), dependencies, {
    code: "WF_ERR_STATE",
    prefix: "state records a dependency cycle, so no destroy order exists",
  }).reverse();

  const actions: PlanAction[] = order.map((name) => {
    const entry = selected.get(name) as ResourceState;
    return { action: "delete", resource: appliedSpecOf(entry), current: entry };
  });
  const plan: IaCPlan = {
    id: randomUUID(),
    actions,
    created_at: new Date().toISOString(),
    ...(options.include ? { include: [...options.include].sort() } : {}),
  };
  const providerOf = Object.fromEntries(
    actions.map((a) => [a.resource.name, a.current?.provider ?? ""]),
  );
  return { plan, providerOf };
}

function withDependents(
  state: readonly ResourceState[],
  byName: ReadonlyMap<string, ResourceState>,
  include: readonly string[],
): Map<string, ResourceState> {
  const unknown = [...new Set(include)].filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    throw new WfError(
      "WF_ERR_USAGE",
      `--include: ${unknown.length} resource(s) not in state: ${unknown.join(", ")}`,
    );
  }
  const dependents = new Map<string, string[]>();
  for (const e of state) {
    for (const d of e.dependencies) {
      const list = dependents.get(d);
      if (list) list.push(e.name);
      else dependents.set(d, [e.name]);
    }
  }
  const selected = new Map<string, ResourceState>();
  const visit = [...include];
  for (let name = visit.pop(); name !== undefined; name = visit.pop()) {
    if (selected.has(name)) continue;
    selected.set(name, byName.get(name) as ResourceState);
    visit.push(...(dependents.get(name) ?? []));
  }
  return selected;
}
