import type { SourceNode } from "./source-tree.js";

/**
 * Environment override semantics: mappings merge key by key, recursively; lists and
 * scalars replace; a null in the override removes the key (as in JSON Merge Patch),
 * so an environment can drop a setting. Replaced values keep the override's position.
 */
export function deepMerge(
  base: SourceNode | undefined,
  override: SourceNode,
): SourceNode | undefined {
  if (override.kind === "scalar" && override.value === null) return undefined;
  if (override.kind !== "map") return override;
  const container = base?.kind === "map" ? base : override;
  const entries = new Map(base?.kind === "map" ? base.entries : []);
  for (const [key, value] of override.entries) {
    const merged = deepMerge(entries.get(key), value);
    if (merged === undefined) entries.delete(key);
    else entries.set(key, merged);
  }
  return { ...container, entries };
}
