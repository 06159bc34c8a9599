import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  type Node as YamlNode,
} from "yaml";
import type { SourcePosition, UserDiagnostic } from "../diagnostics/index.js";
import { quote } from "./config-diagnostic.js";
import {
  joinPath,
  type MapNode,
  type ScalarValue,
  type SeqNode,
  type SourceNode,
} from "./source-tree.js";

export interface ParsedYaml {
  /** The document's value; undefined for an empty file. */
  readonly root: SourceNode | undefined;
  readonly diagnostics: readonly UserDiagnostic[];
  /** YAML syntax errors (not duplicate keys): the tree is then unreliable. */
  readonly syntaxError: boolean;
}

/** Values copied through aliases, per file; guards against "billion laughs" documents. */
const MAX_ALIAS_NODES = 100_000;

/**
 * Parse one YAML file into a source tree. Reports every syntax error and warning of
 * the file, duplicate keys and non-scalar keys, each at its position. `display` is the
 * file name used in positions.
 */
export function parseYaml(text: string, display: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // Duplicates are reported by the converter with the first key's line.
    uniqueKeys: false,
    merge: true,
  });
  const diagnostics: UserDiagnostic[] = [];
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: display, line, col };
  };
  for (const error of doc.errors) {
    diagnostics.push({
      severity: "error",
      code: "WF_ERR_CONFIG_PARSE",
      message: firstLine(error.message),
      source: position(error.pos[0]),
    });
  }
  for (const warning of doc.warnings) {
    diagnostics.push({
      severity: "warning",
      code: "WF_ERR_CONFIG_PARSE",
      message: firstLine(warning.message),
      source: position(warning.pos[0]),
    });
  }
  const converter = new Converter(doc, position, diagnostics);
  const root =
    doc.contents === null ? undefined : converter.convert(doc.contents, "", position(0), undefined);
  return { root, diagnostics, syntaxError: doc.errors.length > 0 };
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? message;
}

class Converter {
  #aliasNodes = 0;
  #aliasReported = false;
  readonly #resolving = new Set<YamlNode>();
  // Alias.resolve walks the document; nested aliases are met again and again.
  readonly #targets = new Map<Alias, YamlNode | undefined>();

  constructor(
    readonly doc: Document,
    readonly position: (offset: number) => SourcePosition,
    readonly diagnostics: UserDiagnostic[],
  ) {}

  convert(
    node: unknown,
    path: string,
    fallback: SourcePosition,
    keyPos: SourcePosition | undefined,
  ): SourceNode {
    if (isAlias(node)) return this.#alias(node, path, fallback, keyPos);
    const pos = this.#start(node) ?? fallback;
    const base = { pos, path, ...(keyPos ? { keyPos } : {}) };
    if (this.#resolving.size > 0 && !this.#countAliasNode(pos)) {
      return { kind: "scalar", ...base, value: null, plain: true };
    }
    if (isMap(node)) return { kind: "map", ...base, entries: this.#entries(node.items, path, pos) };
    if (isSeq(node)) {
      const items = node.items.map((item, index) =>
        this.convert(item, joinPath(path, index), pos, undefined),
      );
      return { kind: "seq", ...base, items } satisfies SeqNode;
    }
    if (isScalar(node)) {
      const plain = node.type === Scalar.PLAIN;
      return { kind: "scalar", ...base, value: scalarValue(node.value), plain };
    }
    // An absent value (`key:` with nothing after it) is null.
    return { kind: "scalar", ...base, value: null, plain: true };
  }

  #start(node: unknown): SourcePosition | undefined {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? this.position(range[0]) : undefined;
  }

  #entries(
    pairs: readonly unknown[],
    path: string,
    mapPos: SourcePosition,
  ): Map<string, SourceNode> {
    const entries = new Map<string, SourceNode>();
    // `<<: *base` entries: explicit keys win over merged ones wherever they appear.
    const merged: MapNode[] = [];
    for (const pair of pairs as readonly { key: unknown; value: unknown }[]) {
      const keyPos = this.#start(pair.key) ?? mapPos;
      if (!isScalar(pair.key)) {
        this.#error(keyPos, "mapping keys must be plain values, not mappings or lists");
        continue;
      }
      if (typeof pair.key.value === "symbol") {
        merged.push(...this.#mergeSources(pair.value, path, keyPos));
        continue;
      }
      const key = String(pair.key.value);
      const first = entries.get(key);
      if (first) {
        const firstLine = first.keyPos?.line ?? first.pos.line;
        this.#error(keyPos, `duplicate key ${quote(key)} (first defined at line ${firstLine})`);
        continue;
      }
      entries.set(key, this.convert(pair.value, joinPath(path, key), keyPos, keyPos));
    }
    if (merged.length === 0) return entries;
    const out = new Map<string, SourceNode>();
    for (const source of merged) {
      for (const [key, value] of source.entries) if (!out.has(key)) out.set(key, value);
    }
    for (const [key, value] of entries) out.set(key, value);
    return out;
  }

  #mergeSources(value: unknown, path: string, keyPos: SourcePosition): MapNode[] {
    const sources = isSeq(value) ? value.items : [value];
    const maps: MapNode[] = [];
    for (const source of sources) {
      const node = this.convert(source, path, keyPos, undefined);
      if (node.kind === "map") maps.push(node);
      else this.#error(node.pos, "a merge key (<<) must refer to a mapping");
    }
    return maps;
  }

  #alias(
    node: Alias,
    path: string,
    fallback: SourcePosition,
    keyPos: SourcePosition | undefined,
  ): SourceNode {
    const at = this.#start(node) ?? fallback;
    if (!this.#targets.has(node)) this.#targets.set(node, node.resolve(this.doc));
    const target = this.#targets.get(node);
    const nullNode = (): SourceNode => ({
      kind: "scalar",
      pos: at,
      path,
      value: null,
      plain: true,
      ...(keyPos ? { keyPos } : {}),
    });
    // yaml itself reports unresolved aliases.
    if (!target) return nullNode();
    if (this.#resolving.has(target)) {
      this.#error(at, "an alias cannot refer to a value that contains it");
      return nullNode();
    }
    this.#resolving.add(target);
    try {
      return this.convert(target, path, at, keyPos);
    } finally {
      this.#resolving.delete(target);
    }
  }

  /** False once too many values were copied through aliases (reported once). */
  #countAliasNode(at: SourcePosition): boolean {
    this.#aliasNodes += 1;
    if (this.#aliasNodes <= MAX_ALIAS_NODES) return true;
    if (!this.#aliasReported) {
      this.#error(at, `too many alias expansions (more than ${MAX_ALIAS_NODES} values)`);
      this.#aliasReported = true;
    }
    return false;
  }

  #error(source: SourcePosition, message: string): void {
    this.diagnostics.push({ severity: "error", code: "WF_ERR_CONFIG_PARSE", message, source });
  }
}

function scalarValue(value: unknown): ScalarValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return String(value);
}
