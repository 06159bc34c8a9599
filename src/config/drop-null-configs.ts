import { child, type MapNode, type SourceNode, withEntry } from "./source-tree.js";

/**
 * `config:` left empty means "no settings": drop it from modules, steps and triggers,
 * so it validates (and defaults) as an absent config rather than as a null.
 */
export function dropNullConfigs(root: MapNode): MapNode {
  let out = root;
  const modules = child(root, "modules");
  if (modules?.kind === "seq") {
    const items = modules.items.map(withoutNullConfig);
    if (items.some((item, i) => item !== modules.items[i]))
      out = withEntry(out, "modules", { ...modules, items });
  }
  const pipelines = child(root, "pipelines");
  if (pipelines?.kind === "map") {
    const entries = new Map<string, SourceNode>();
    let changed = false;
    for (const [name, pipeline] of pipelines.entries) {
      const next = pipelineWithoutNullConfigs(pipeline);
      changed ||= next !== pipeline;
      entries.set(name, next);
    }
    if (changed) out = withEntry(out, "pipelines", { ...pipelines, entries });
  }
  return out;
}

function pipelineWithoutNullConfigs(pipeline: SourceNode): SourceNode {
  if (pipeline.kind !== "map") return pipeline;
  let out = pipeline;
  for (const list of ["steps", "compensation"]) {
    const steps = child(out, list);
    if (steps?.kind !== "seq") continue;
    const items = steps.items.map(withoutNullConfig);
    if (items.some((item, i) => item !== steps.items[i]))
      out = withEntry(out, list, { ...steps, items });
  }
  const trigger = child(out, "trigger");
  if (trigger) {
    const next = withoutNullConfig(trigger);
    if (next !== trigger) out = withEntry(out, "trigger", next);
  }
  return out;
}

function withoutNullConfig(node: SourceNode): SourceNode {
  const config = child(node, "config");
  if (node.kind !== "map" || config?.kind !== "scalar" || config.value !== null) return node;
  return withEntry(node, "config", undefined);
}
