import type { UserDiagnostic } from "../diagnostics/index.js";
import { diagnosticAt, quote } from "./config-diagnostic.js";
import type { ConfigLayer } from "./imports.js";
import { type MapNode, type SourceNode, stringChild } from "./source-tree.js";
import { didYouMean } from "./suggest.js";
import { describeValue } from "./value-names.js";

export const CORE_KEYS = ["imports", "modules", "pipelines", "environments"] as const;

/**
 * Merge the layers (imports first, importers after) into one effective tree. Later
 * layers win per key of `pipelines`, `environments` and each registered section; a
 * module whose name an earlier layer already used replaces that module in place.
 * Two modules of the same name in one file are both kept, for the duplicate check.
 * Top-level keys are checked here, per file, because unknown ones are not merged.
 */
export function mergeLayers(
  layers: readonly ConfigLayer[],
  sectionKeys: readonly string[],
  diagnostics: UserDiagnostic[],
): MapNode | undefined {
  const allowed = [...CORE_KEYS, ...sectionKeys];
  const sections = new Set(sectionKeys);
  const modules: SourceNode[] = [];
  const moduleOwner = new Map<string, { index: number; layer: number }>();
  const maps = {
    pipelines: new Map<string, SourceNode>(),
    environments: new Map<string, SourceNode>(),
  };
  // The node each merged top-level value is positioned at: the last file that set it.
  const containers = new Map<string, SourceNode>();
  let top: MapNode | undefined;

  for (const [layerIndex, layer] of layers.entries()) {
    const root = layer.root;
    if (!root) continue;
    top = root;
    for (const [key, value] of root.entries) {
      if (key === "imports") continue;
      if (key === "modules") {
        if (!expectKind(value, "seq", `"modules" must be a list of modules`, diagnostics)) continue;
        containers.set(key, value);
        if (value.kind !== "seq") continue;
        for (const item of value.items) {
          const name = stringChild(item, "name");
          const owner = name === undefined ? undefined : moduleOwner.get(name);
          if (name !== undefined && owner && owner.layer !== layerIndex) {
            modules[owner.index] = item;
            moduleOwner.set(name, { index: owner.index, layer: layerIndex });
            continue;
          }
          if (name !== undefined && !owner)
            moduleOwner.set(name, { index: modules.length, layer: layerIndex });
          modules.push(item);
        }
      } else if (key === "pipelines" || key === "environments") {
        if (!expectKind(value, "map", `"${key}" must be a mapping of names`, diagnostics)) continue;
        containers.set(key, value);
        if (value.kind !== "map") continue;
        for (const [name, entry] of value.entries) maps[key].set(name, entry);
      } else if (sections.has(key)) {
        containers.set(key, value);
      } else {
        diagnostics.push(
          diagnosticAt(
            value,
            "WF_ERR_CONFIG_SCHEMA",
            `unknown top-level key ${quote(key)}${didYouMean(key, allowed)}`,
            { anchor: "key" },
          ),
        );
      }
    }
  }
  if (!top) return undefined;

  const entries = new Map<string, SourceNode>();
  for (const [key, node] of containers) {
    const base = { pos: node.pos, path: key, ...(node.keyPos ? { keyPos: node.keyPos } : {}) };
    if (key === "modules") entries.set(key, { kind: "seq", ...base, items: modules });
    else if (key === "pipelines" || key === "environments") {
      entries.set(key, { kind: "map", ...base, entries: maps[key] });
    } else entries.set(key, node);
  }
  return { kind: "map", pos: top.pos, path: "", entries };
}

/** Null counts as empty; any other kind is reported and skipped. */
function expectKind(
  node: SourceNode,
  kind: "seq" | "map",
  message: string,
  diagnostics: UserDiagnostic[],
): boolean {
  if (node.kind === kind) return true;
  if (node.kind === "scalar" && node.value === null) return false;
  const got =
    node.kind === "seq" ? "a list" : node.kind === "map" ? "a mapping" : describeValue(node.value);
  diagnostics.push(diagnosticAt(node, "WF_ERR_CONFIG_SCHEMA", `${message}, got ${got}`));
  return false;
}
