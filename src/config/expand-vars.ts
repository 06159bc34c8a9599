import type { UserDiagnostic } from "../diagnostics/index.js";
import { diagnosticAt, quote } from "./config-diagnostic.js";
import {
  child,
  type MapNode,
  type ScalarNode,
  type SourceNode,
  stringChild,
  withEntry,
} from "./source-tree.js";
import {
  escapeVarSyntax,
  expandTokens,
  hasVarSyntax,
  parseVarTemplate,
  variableNames,
} from "./var-template.js";

/**
 * Keys of `infra.*` config whose values stay literal: the IaC engine substitutes them
 * at apply time, so secrets never land in the state's recorded config.
 */
const APPLY_TIME_KEYS = new Set(["env_vars", "env_vars_secret", "secret_env_vars"]);

export interface ExpandOptions {
  readonly environ: Readonly<Record<string, string | undefined>>;
  /** Fallbacks from `environments[ENV].vars`. */
  readonly vars: ReadonlyMap<string, string>;
  /** Collects every variable name read (the IaC input snapshot records them). */
  readonly varsRead: Set<string>;
  readonly diagnostics: UserDiagnostic[];
}

/** Expand `${VAR}` in every module's `config` (and nowhere else: pipelines use {{ }}). */
export function expandModuleConfigs(root: MapNode, options: ExpandOptions): MapNode {
  const modules = child(root, "modules");
  if (modules?.kind !== "seq") return root;
  let changed = false;
  const items = modules.items.map((item) => {
    const config = child(item, "config");
    if (item.kind !== "map" || config === undefined) return item;
    const infra = stringChild(item, "type")?.startsWith("infra.") ?? false;
    const expanded = new Expander(options, infra).node(config, false);
    if (expanded === config) return item;
    changed = true;
    return withEntry(item, "config", expanded);
  });
  return changed ? withEntry(root, "modules", { ...modules, items }) : root;
}

class Expander {
  constructor(
    readonly options: ExpandOptions,
    readonly infra: boolean,
  ) {}

  node(node: SourceNode, literal: boolean): SourceNode {
    switch (node.kind) {
      case "scalar":
        return typeof node.value === "string" && hasVarSyntax(node.value)
          ? this.#scalar(node, node.value, literal)
          : node;
      case "seq": {
        let changed = false;
        const items = node.items.map((item) => {
          const out = this.node(item, literal);
          changed ||= out !== item;
          return out;
        });
        return changed ? { ...node, items } : node;
      }
      case "map": {
        let entries: Map<string, SourceNode> | undefined;
        for (const [key, value] of node.entries) {
          const out = this.node(value, literal || (this.infra && APPLY_TIME_KEYS.has(key)));
          if (out === value) continue;
          entries ??= new Map(node.entries);
          entries.set(key, out);
        }
        return entries ? { ...node, entries } : node;
      }
    }
  }

  #scalar(node: ScalarNode, text: string, literal: boolean): SourceNode {
    const { environ, vars, varsRead, diagnostics } = this.options;
    const parsed = parseVarTemplate(text);
    if (!parsed.ok) {
      diagnostics.push(diagnosticAt(node, "WF_ERR_CONFIG_ENV_VAR", parsed.error));
      return node;
    }
    if (literal) {
      for (const name of variableNames(parsed.tokens)) varsRead.add(name);
      return node;
    }
    const lookup = (name: string) =>
      (Object.hasOwn(environ, name) ? environ[name] : undefined) ?? vars.get(name);
    // infra.* config gets a second `${…}` pass at apply time (output references), so
    // literal `${` must stay escaped for it.
    const escapeText = this.infra ? escapeVarSyntax : undefined;
    const result = expandTokens(parsed.tokens, lookup, (name) => varsRead.add(name), escapeText);
    for (const name of new Set(result.missing)) {
      diagnostics.push(
        diagnosticAt(
          node,
          "WF_ERR_CONFIG_ENV_VAR",
          `environment variable ${quote(name)} is not set (give a default with \${${name}:-value})`,
        ),
      );
    }
    // Left unexpanded, so the schema does not add errors about the placeholder value.
    if (result.missing.length > 0) return node;
    const whole = parsed.tokens.length === 1 && parsed.tokens[0]?.kind === "var";
    const value = node.plain && whole ? typed(result.value) : result.value;
    return { ...node, value };
  }
}

/**
 * An unquoted value that is exactly one `${VAR}` takes the type the text reads as
 * (`port: ${PORT:-8080}` is a number); a quoted one stays a string.
 */
function typed(text: string): string | number | boolean {
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  if (/^-?(0|[1-9][0-9]*)\.[0-9]+$/.test(text)) return Number(text);
  if (text === "true") return true;
  if (text === "false") return false;
  return text;
}
