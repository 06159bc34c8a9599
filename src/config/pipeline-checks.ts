import type { UserDiagnostic } from "../diagnostics/index.js";
import { diagnosticAt, quote } from "./config-diagnostic.js";
import { pipelineEntries, type StepEntry } from "./config-walk.js";
import { firstDefinedAt } from "./first-defined.js";
import { child, type MapNode, type SourceNode } from "./source-tree.js";
import { didYouMean } from "./suggest.js";

/**
 * Pipeline rules the schema cannot express: step names are unique within `steps` and
 * within `compensation` (separately: each list runs on its own), and every target of
 * a `step.conditional` (`routes` values, `default`) is a step of the same list.
 */
export function checkPipelines(root: MapNode, diagnostics: UserDiagnostic[]): void {
  for (const pipeline of pipelineEntries(root)) {
    for (const steps of [pipeline.steps, pipeline.compensation]) {
      const names = uniqueStepNames(pipeline.name, steps, diagnostics);
      for (const step of steps) {
        if (step.type === "step.conditional") checkRoutes(step, names, diagnostics);
      }
    }
  }
}

function uniqueStepNames(
  pipeline: string,
  steps: readonly StepEntry[],
  diagnostics: UserDiagnostic[],
): Set<string> {
  const first = new Map<string, SourceNode>();
  for (const step of steps) {
    const node = child(step.node, "name");
    if (step.name === undefined || node === undefined) continue;
    const earlier = first.get(step.name);
    if (!earlier) {
      first.set(step.name, node);
      continue;
    }
    diagnostics.push(
      diagnosticAt(
        node,
        "WF_ERR_CONFIG_DUPLICATE",
        `duplicate step name ${quote(step.name)} in pipeline ${quote(pipeline)} (first defined at ${firstDefinedAt(earlier, node)})`,
      ),
    );
  }
  return new Set(first.keys());
}

function checkRoutes(
  step: StepEntry,
  names: ReadonlySet<string>,
  diagnostics: UserDiagnostic[],
): void {
  const config = child(step.node, "config");
  const routes = child(config, "routes");
  const targets: SourceNode[] = routes?.kind === "map" ? [...routes.entries.values()] : [];
  const fallback = child(config, "default");
  if (fallback) targets.push(fallback);
  for (const target of targets) {
    if (target.kind !== "scalar" || typeof target.value !== "string") continue;
    // A template picks its target at run time.
    if (target.value.includes("{{") || names.has(target.value)) continue;
    diagnostics.push(
      diagnosticAt(
        target,
        "WF_ERR_CONFIG_REFERENCE",
        `step ${quote(step.name ?? "")} in pipeline ${quote(step.pipeline)} routes to unknown step ${quote(target.value)}${didYouMean(target.value, names)}`,
      ),
    );
  }
}
