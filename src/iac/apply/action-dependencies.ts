import type { PlanAction, ResourceSpec } from "../../contracts/index.js";
import { findReferences } from "../references.js";
import type { DagTask } from "./dag-executor.js";

/**
 * The dependency graph of a plan's actions, for the DAG executor. Only resources
 * with an action in this plan take part: anything else is already in place.
 *
 * - create / update / replace of X waits for the create / update / replace of every
 *   resource X needs: `depends_on` plus the resources its config references
 *   (`${db.uri}`).
 * - delete of D waits for every other action of a resource that needs D, now
 *   (desired) or before (its state's dependencies): dependents go first, so deletes
 *   run in reverse dependency order, and D outlives the update that stops using it.
 * - a build of X waits for a delete of X (the same name deleted and built again).
 */
export function actionDependencies(actions: readonly PlanAction[]): DagTask[] {
  const builds = indexByName(actions, (a) => a.action !== "delete");
  const deletes = indexByName(actions, (a) => a.action === "delete");
  const deps: Set<number>[] = actions.map(() => new Set());

  actions.forEach((action, i) => {
    const name = action.resource.name;
    const desired = resourceNeeds(action.resource);
    if (action.action !== "delete") {
      for (const needed of desired) {
        for (const j of builds.get(needed) ?? []) if (j !== i) deps[i]!.add(j);
      }
      // A resource deleted and built again under the same name (e.g. its type changed).
      for (const j of deletes.get(name) ?? []) deps[i]!.add(j);
    }
    const needsNowOrBefore = new Set([...desired, ...(action.current?.dependencies ?? [])]);
    for (const needed of needsNowOrBefore) {
      if (needed === name) continue;
      for (const j of deletes.get(needed) ?? []) deps[j]!.add(i);
    }
  });
  return deps.map((d) => ({ dependsOn: [...d] }));
}

/**
 * The resources a spec needs: `depends_on` and the resources its config references.
 * Also what state records as a resource's dependencies, so that a later delete of
 * both runs in the right order even when the need was only a reference.
 */
export function resourceNeeds(spec: ResourceSpec): string[] {
  const refs = findReferences(spec.config).map((r) => r.resource);
  return [...new Set([...(spec.depends_on ?? []), ...refs])].filter((n) => n !== spec.name);
}

function indexByName(
  actions: readonly PlanAction[],
  keep: (a: PlanAction) => boolean,
): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  actions.forEach((a, i) => {
    if (!keep(a)) return;
    const list = byName.get(a.resource.name);
    if (list) list.push(i);
    else byName.set(a.resource.name, [i]);
  });
  return byName;
}
