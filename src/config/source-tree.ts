import type { SourcePosition } from "../diagnostics/index.js";

/**
 * A YAML value tree in which every value remembers where it was written. Merging
 * imports and applying environment overrides build new trees out of nodes from
 * several files, so positions survive: an overridden value keeps pointing at the
 * override. Nodes are never mutated once built.
 */
interface NodeBase {
  /** Where the value starts. */
  readonly pos: SourcePosition;
  /** Where its mapping key starts, when the value sits under a key. */
  readonly keyPos?: SourcePosition;
  /** The value's YAML path inside its own file, e.g. `modules[2].config.port`. */
  readonly path: string;
}

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode extends NodeBase {
  readonly kind: "scalar";
  readonly value: ScalarValue;
  /** Written without quotes: only such values may become numbers after ${VAR} expansion. */
  readonly plain: boolean;
}

export interface MapNode extends NodeBase {
  readonly kind: "map";
  readonly entries: ReadonlyMap<string, SourceNode>;
}

export interface SeqNode extends NodeBase {
  readonly kind: "seq";
  readonly items: readonly SourceNode[];
}

export type SourceNode = ScalarNode | MapNode | SeqNode;

export type PathSegment = string | number;

export function isMapNode(node: SourceNode | undefined): node is MapNode {
  return node?.kind === "map";
}

export function isSeqNode(node: SourceNode | undefined): node is SeqNode {
  return node?.kind === "seq";
}

export function child(node: SourceNode | undefined, key: string): SourceNode | undefined {
  return node?.kind === "map" ? node.entries.get(key) : undefined;
}

/** The string value under `key`, if there is one. */
export function stringChild(node: SourceNode | undefined, key: string): string | undefined {
  const value = child(node, key);
  return value?.kind === "scalar" && typeof value.value === "string" ? value.value : undefined;
}

export function isNullNode(node: SourceNode | undefined): boolean {
  return node?.kind === "scalar" && node.value === null;
}

/** A copy of `map` with `key` set (or removed when `value` is undefined), keeping key order. */
export function withEntry(map: MapNode, key: string, value: SourceNode | undefined): MapNode {
  const entries = new Map(map.entries);
  if (value === undefined) entries.delete(key);
  else entries.set(key, value);
  return { ...map, entries };
}

/** The node at `path` (keys for mappings, indexes for sequences). */
export function nodeAt(
  root: SourceNode | undefined,
  path: readonly PathSegment[],
): SourceNode | undefined {
  let node = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    if (node.kind === "map") node = node.entries.get(String(segment));
    else if (node.kind === "seq") {
      const index = typeof segment === "number" ? segment : Number(segment);
      node = Number.isInteger(index) ? node.items[index] : undefined;
    } else return undefined;
  }
  return node;
}

/** Plain JSON-like data for schema validation and the final config. */
export function toPlain(node: SourceNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "seq":
      return node.items.map(toPlain);
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [key, value] of node.entries) setOwn(out, key, toPlain(value));
      return out;
    }
  }
}

/** Assign without letting a `__proto__` key from a file reach the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key] = value;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `modules[2].config.port`; keys that are not identifier-like are quoted: `pipelines["a.b"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) out = joinPath(out, segment);
  return out;
}

export function joinPath(base: string, segment: PathSegment): string {
  if (typeof segment === "number") return `${base}[${segment}]`;
  if (!IDENTIFIER.test(segment)) return `${base}[${JSON.stringify(segment)}]`;
  return base === "" ? segment : `${base}.${segment}`;
}
