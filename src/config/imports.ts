import { readFile } from "node:fs/promises";
import path from "node:path";
import type { UserDiagnostic } from "../diagnostics/index.js";
import { diagnostic, diagnosticAt, quote } from "./config-diagnostic.js";
import { displayPath } from "./display-path.js";
import { child, type MapNode, type SourceNode } from "./source-tree.js";
import { parseYaml } from "./yaml-source.js";

/** One loaded file's contribution to the config. */
export interface ConfigLayer {
  readonly file: string;
  /** The file's top-level mapping; undefined when the file is empty or not a mapping. */
  readonly root: MapNode | undefined;
}

export interface LoadedFiles {
  /** Merge order: every file after the files it imports, the top-level file last. */
  readonly layers: readonly ConfigLayer[];
  /** Absolute paths of every file read, the top-level file first. */
  readonly files: readonly string[];
  readonly diagnostics: readonly UserDiagnostic[];
  /** Some file had YAML syntax errors, so its tree is unreliable. */
  readonly syntaxError: boolean;
}

/**
 * Read the top-level file and, depth-first, every file it imports (paths relative to
 * the importing file). A file reached twice (a diamond) is loaded once; a file that
 * imports one of its importers is a cycle, reported at the import entry.
 */
export async function loadFiles(topFile: string, cwd: string): Promise<LoadedFiles> {
  const loader = new ImportLoader(cwd, path.dirname(topFile));
  await loader.visit(topFile, [topFile], undefined);
  return {
    layers: loader.layers,
    files: loader.files,
    diagnostics: loader.diagnostics,
    syntaxError: loader.syntaxError,
  };
}

class ImportLoader {
  readonly layers: ConfigLayer[] = [];
  readonly files: string[] = [];
  readonly diagnostics: UserDiagnostic[] = [];
  syntaxError = false;
  readonly #seen = new Set<string>();

  constructor(
    readonly cwd: string,
    readonly topDir: string,
  ) {}

  async visit(
    file: string,
    stack: readonly string[],
    entry: SourceNode | undefined,
  ): Promise<ConfigLayer | undefined> {
    const display = displayPath(file, this.cwd);
    const text = await this.#read(file, display, entry);
    // Unreadable files stay unseen, so every import of a missing file is reported.
    if (text === undefined) return undefined;
    this.#seen.add(file);
    this.files.push(file);
    const parsed = parseYaml(text, display);
    this.diagnostics.push(...parsed.diagnostics);
    this.syntaxError ||= parsed.syntaxError;
    let root: MapNode | undefined;
    if (parsed.root?.kind === "map") root = parsed.root;
    else if (parsed.root && !(parsed.root.kind === "scalar" && parsed.root.value === null)) {
      this.diagnostics.push(
        diagnosticAt(
          parsed.root,
          "WF_ERR_CONFIG_SCHEMA",
          "a config file must be a mapping of top-level keys (imports, modules, pipelines, …)",
        ),
      );
    }
    for (const importEntry of this.#importEntries(root)) {
      const target = path.resolve(path.dirname(file), importEntry.value);
      const cycleStart = stack.indexOf(target);
      if (cycleStart >= 0) {
        const chain = [...stack.slice(cycleStart), target].map((f) => this.#chainName(f));
        this.diagnostics.push(
          diagnosticAt(
            importEntry.node,
            "WF_ERR_CONFIG_IMPORT",
            `import cycle: ${chain.join(" -> ")}`,
          ),
        );
        continue;
      }
      if (this.#seen.has(target)) continue;
      const imported = await this.visit(target, [...stack, target], importEntry.node);
      if (imported && definesNothing(imported.root)) {
        this.diagnostics.push(
          diagnosticAt(
            importEntry.node,
            "WF_ERR_CONFIG_IMPORT",
            `imported file ${quote(importEntry.value)} defines nothing`,
            { severity: "warning" },
          ),
        );
      }
    }
    const layer = { file, root };
    this.layers.push(layer);
    return layer;
  }

  async #read(
    file: string,
    display: string,
    entry: SourceNode | undefined,
  ): Promise<string | undefined> {
    try {
      return await readFile(file, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (entry === undefined) {
        const reason =
          code === "ENOENT"
            ? "not found"
            : code === "EISDIR"
              ? "is a directory"
              : `cannot be read (${code ?? String(err)})`;
        this.diagnostics.push(
          diagnostic("WF_ERR_CONFIG_NOT_FOUND", `config file ${quote(display)} ${reason}`),
        );
        return undefined;
      }
      const name = entry.kind === "scalar" ? String(entry.value) : display;
      const reason =
        code === "ENOENT"
          ? `not found (looked for ${display})`
          : code === "EISDIR"
            ? `is a directory (${display})`
            : `cannot be read: ${(err as Error).message}`;
      this.diagnostics.push(
        diagnosticAt(entry, "WF_ERR_CONFIG_IMPORT", `imported file ${quote(name)} ${reason}`),
      );
      return undefined;
    }
  }

  *#importEntries(root: MapNode | undefined): Generator<{ node: SourceNode; value: string }> {
    const imports = child(root, "imports");
    if (imports === undefined || (imports.kind === "scalar" && imports.value === null)) return;
    if (imports.kind !== "seq") {
      this.diagnostics.push(
        diagnosticAt(imports, "WF_ERR_CONFIG_SCHEMA", `"imports" must be a list of file paths`),
      );
      return;
    }
    for (const node of imports.items) {
      if (node.kind === "scalar" && typeof node.value === "string" && node.value.trim() !== "") {
        yield { node, value: node.value };
      } else {
        this.diagnostics.push(
          diagnosticAt(
            node,
            "WF_ERR_CONFIG_SCHEMA",
            "each import must be a file path (a non-empty string)",
          ),
        );
      }
    }
  }

  /** Files in an import chain are named relative to the top-level file's folder: short and stable. */
  #chainName(file: string): string {
    const relative = path.relative(this.topDir, file);
    return relative === "" ? file : relative;
  }
}

/** Only `imports:` (or nothing at all) in the file. */
function definesNothing(root: MapNode | undefined): boolean {
  if (!root) return true;
  for (const [key, value] of root.entries) {
    if (key === "imports") {
      if (value.kind === "seq" && value.items.length > 0) return false;
      continue;
    }
    if (value.kind === "scalar" && value.value === null) continue;
    if (value.kind === "seq" && value.items.length === 0) continue;
    if (value.kind === "map" && value.entries.size === 0) continue;
    return false;
  }
  return true;
}
