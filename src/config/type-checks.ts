import type { UserDiagnostic } from "../diagnostics/index.js";
import { diagnosticAt, quote } from "./config-diagnostic.js";
import { moduleLabel, stepLabel } from "./config-paths.js";
import { moduleEntries, pipelineEntries } from "./config-walk.js";
import { child, type MapNode, type SourceNode, stringChild } from "./source-tree.js";
import { didYouMean } from "./suggest.js";
import type { ConfigTypeRegistry, TypeKind } from "./type-registry.js";

/**
 * Every module, step and trigger `type` must be registered (exactly, or through a
 * `prefix.*` pattern). An unknown type gets a suggestion; the schema then validates
 * nothing of its `config`, since no type-specific rule applies.
 */
export function checkTypes(
  root: MapNode,
  registry: ConfigTypeRegistry,
  diagnostics: UserDiagnostic[],
): void {
  const check = (kind: TypeKind, owner: SourceNode | undefined, where: string) => {
    const node = child(owner, "type");
    const type = stringChild(owner, "type");
    if (node === undefined || type === undefined || registry.lookup(kind, type)) return;
    diagnostics.push(
      diagnosticAt(
        node,
        "WF_ERR_CONFIG_UNKNOWN_TYPE",
        `unknown ${kind} type ${quote(type)} in ${where}${didYouMean(type, candidates(registry, kind, type))}`,
      ),
    );
  };
  for (const module of moduleEntries(root)) {
    check("module", module.node, moduleLabel(root, module.index));
  }
  for (const pipeline of pipelineEntries(root)) {
    const name = `pipeline ${quote(pipeline.name)}`;
    check("trigger", child(pipeline.node, "trigger"), name);
    for (const step of [...pipeline.steps, ...pipeline.compensation]) {
      check("step", step.node, `${name} ${stepLabel(root, pipeline.name, step.list, step.index)}`);
    }
  }
}

/** Registered names, with each `prefix.*` pattern completed by the typed name's tail (`infr.database` → `infra.database`). */
function candidates(registry: ConfigTypeRegistry, kind: TypeKind, typed: string): string[] {
  const dot = typed.indexOf(".");
  const tail = dot >= 0 ? typed.slice(dot + 1) : typed;
  return registry
    .list(kind)
    .map((def) => (def.type.endsWith(".*") ? def.type.slice(0, -1) + tail : def.type));
}
