import type { UserDiagnostic } from "../diagnostics/index.js";
import { diagnosticAt, quote } from "./config-diagnostic.js";
import { isInfraType, type ModuleEntry, moduleEntries } from "./config-walk.js";
import { firstDefinedAt } from "./first-defined.js";
import { child, type MapNode, type SourceNode, stringChild } from "./source-tree.js";
import { didYouMean } from "./suggest.js";

interface Edge {
  readonly to: number;
  /** The dependency entry, where a cycle through this edge is reported. */
  readonly at: SourceNode;
}

/**
 * Module-level rules: names are unique; `dependsOn` (and `config.depends_on` of
 * `infra.*` modules, which may also name a resource by its `config.name`) names
 * declared modules, not the module itself, without cycles; resource names of
 * `infra.*` modules are unique.
 */
export function checkModules(
  root: MapNode,
  disabled: ReadonlyMap<string, SourceNode>,
  env: string | undefined,
  diagnostics: UserDiagnostic[],
): void {
  const modules = moduleEntries(root);
  const byName = new Map<string, ModuleEntry>();
  for (const module of modules) {
    if (module.name === undefined) continue;
    const first = byName.get(module.name);
    if (!first) {
      byName.set(module.name, module);
      continue;
    }
    const nameNode = child(module.node, "name") ?? module.node;
    diagnostics.push(
      diagnosticAt(
        nameNode,
        "WF_ERR_CONFIG_DUPLICATE",
        `duplicate module name ${quote(module.name)} (first defined at ${firstDefinedAt(child(first.node, "name") ?? first.node, nameNode)})`,
      ),
    );
  }
  const byResource = checkResourceNames(modules, diagnostics);

  const edges = new Map<number, Edge[]>();
  for (const module of modules) {
    if (module.name === undefined || byName.get(module.name) !== module) continue;
    const refs = [...stringItems(child(module.node, "dependsOn"))];
    const infra = isInfraType(module.type);
    if (infra) refs.push(...stringItems(child(child(module.node, "config"), "depends_on")));
    const out: Edge[] = [];
    for (const { node, value } of refs) {
      const target = byName.get(value) ?? (infra ? byResource.get(value) : undefined);
      const label = `module ${quote(module.name)}`;
      if (target === module) {
        diagnostics.push(diagnosticAt(node, "WF_ERR_CONFIG_CYCLE", `${label} depends on itself`));
      } else if (target) {
        out.push({ to: target.index, at: node });
      } else if (disabled.has(value)) {
        diagnostics.push(
          diagnosticAt(
            node,
            "WF_ERR_CONFIG_REFERENCE",
            `${label} depends on ${quote(value)}, which environment ${quote(env ?? "")} disables`,
          ),
        );
      } else {
        const names = [...byName.keys(), ...(infra ? byResource.keys() : [])].filter(
          (name) => name !== module.name,
        );
        diagnostics.push(
          diagnosticAt(
            node,
            "WF_ERR_CONFIG_REFERENCE",
            `${label} depends on unknown module ${quote(value)}${didYouMean(value, names)}`,
          ),
        );
      }
    }
    edges.set(module.index, out);
  }
  reportCycles(modules, edges, diagnostics);
}

/** Resource name → module, for `infra.*` modules; reports names used twice. */
function checkResourceNames(
  modules: readonly ModuleEntry[],
  diagnostics: UserDiagnostic[],
): Map<string, ModuleEntry> {
  const byResource = new Map<string, ModuleEntry>();
  for (const module of modules) {
    if (!isInfraType(module.type) || module.name === undefined) continue;
    const explicit = child(child(module.node, "config"), "name");
    const resource = stringChild(child(module.node, "config"), "name") ?? module.name;
    const first = byResource.get(resource);
    if (!first) {
      byResource.set(resource, module);
      continue;
    }
    // Two modules of one name are already reported as duplicates.
    if (first.name === module.name) continue;
    const at = explicit ?? child(module.node, "name") ?? module.node;
    const firstAt =
      child(child(first.node, "config"), "name") ?? child(first.node, "name") ?? first.node;
    diagnostics.push(
      diagnosticAt(
        at,
        "WF_ERR_CONFIG_DUPLICATE",
        `resource name ${quote(resource)} of module ${quote(module.name)} is already used by module ${quote(first.name ?? "")} (${firstDefinedAt(firstAt, at)})`,
      ),
    );
  }
  return byResource;
}

/** One report per cycle, at the dependency entry leaving its earliest-declared module. */
function reportCycles(
  modules: readonly ModuleEntry[],
  edges: ReadonlyMap<number, readonly Edge[]>,
  diagnostics: UserDiagnostic[],
): void {
  const state = new Map<number, "active" | "done">();
  const stack: number[] = [];
  const reported = new Set<string>();
  const visit = (index: number): void => {
    state.set(index, "active");
    stack.push(index);
    for (const edge of edges.get(index) ?? []) {
      const seen = state.get(edge.to);
      if (seen === undefined) visit(edge.to);
      else if (seen === "active") {
        const cycle = stack.slice(stack.indexOf(edge.to));
        const key = [...cycle].sort((a, b) => a - b).join(",");
        if (reported.has(key)) continue;
        reported.add(key);
        report(cycle);
      }
    }
    stack.pop();
    state.set(index, "done");
  };
  const report = (cycle: readonly number[]): void => {
    const start = cycle.indexOf(Math.min(...cycle));
    const ordered = [...cycle.slice(start), ...cycle.slice(0, start)];
    const [from, to] = [ordered[0] ?? 0, ordered[1] ?? ordered[0] ?? 0];
    const edge = edges.get(from)?.find((e) => e.to === to);
    const names = [...ordered, from].map((i) => modules[i]?.name ?? String(i));
    if (!edge) return;
    diagnostics.push(
      diagnosticAt(edge.at, "WF_ERR_CONFIG_CYCLE", `dependency cycle: ${names.join(" -> ")}`),
    );
  };
  for (const module of modules)
    if (edges.has(module.index) && !state.has(module.index)) visit(module.index);
}

function* stringItems(
  node: SourceNode | undefined,
): Generator<{ node: SourceNode; value: string }> {
  if (node?.kind !== "seq") return;
  for (const item of node.items) {
    if (item.kind === "scalar" && typeof item.value === "string")
      yield { node: item, value: item.value };
  }
}
