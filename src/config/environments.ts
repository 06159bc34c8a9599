import type { UserDiagnostic } from "../diagnostics/index.js";
import { diagnostic, diagnosticAt, quote } from "./config-diagnostic.js";
import { deepMerge } from "./deep-merge.js";
import {
  child,
  isMapNode,
  joinPath,
  type MapNode,
  type SourceNode,
  stringChild,
  withEntry,
} from "./source-tree.js";
import { didYouMean } from "./suggest.js";

export interface EnvironmentResult {
  /** The tree with the selected environment applied (unchanged without one). */
  readonly root: MapNode;
  /** Modules the environment disables (`{ENV: null}`), by name: references to them are errors. */
  readonly disabled: ReadonlyMap<string, SourceNode>;
  /** `environments[ENV].vars`: defaults for ${VAR} when the process lacks the variable. */
  readonly vars: ReadonlyMap<string, string>;
}

/**
 * Apply `--env ENV`: drop modules whose `environments.ENV` is null, deep-merge their
 * `environments.ENV.config` over `config`, and default `region`/`provider` of `infra.*`
 * modules from the top-level `environments.ENV`. Also warns about module overrides
 * naming environments the top level does not declare.
 */
export function applyEnvironment(
  root: MapNode,
  env: string | undefined,
  diagnostics: UserDiagnostic[],
): EnvironmentResult {
  const unchanged = { root, disabled: new Map(), vars: new Map() };
  const topEnvs = child(root, "environments");
  const modules = child(root, "modules");
  const moduleItems = modules?.kind === "seq" ? modules.items : [];
  const declared = new Set(isMapNode(topEnvs) ? topEnvs.entries.keys() : []);

  for (const item of moduleItems) {
    const overrides = child(item, "environments");
    if (!isMapNode(overrides)) continue;
    for (const [name, block] of overrides.entries) {
      if (isMapNode(topEnvs) && !topEnvs.entries.has(name)) {
        const moduleName = stringChild(item, "name") ?? item.path;
        diagnostics.push(
          diagnosticAt(
            block,
            "WF_ERR_CONFIG_ENVIRONMENT",
            `module ${quote(moduleName)} overrides environment ${quote(name)}, which top-level environments does not declare${didYouMean(name, topEnvs.entries.keys())}`,
            { anchor: "key", severity: "warning" },
          ),
        );
      }
    }
    for (const name of overrides.entries.keys()) declared.add(name);
  }

  if (env === undefined) return unchanged;
  if (!declared.has(env)) {
    const hint = declared.size === 0 ? " (it declares no environments)" : didYouMean(env, declared);
    diagnostics.push(
      diagnostic(
        "WF_ERR_CONFIG_ENVIRONMENT",
        `environment ${quote(env)} is not declared in the config${hint}`,
      ),
    );
    return unchanged;
  }

  const envBlock = child(topEnvs, env);
  const defaults = ["region", "provider"].flatMap((key) => {
    const node = child(envBlock, key);
    return node ? [[key, node] as const] : [];
  });
  const disabled = new Map<string, SourceNode>();
  const items: SourceNode[] = [];
  for (const item of moduleItems) {
    const override = child(child(item, "environments"), env);
    if (override?.kind === "scalar" && override.value === null) {
      const name = stringChild(item, "name");
      if (name !== undefined) disabled.set(name, override);
      continue;
    }
    items.push(applyToModule(item, override, defaults));
  }
  const newModules = modules?.kind === "seq" ? { ...modules, items } : undefined;
  return {
    root: newModules ? withEntry(root, "modules", newModules) : root,
    disabled,
    vars: envVars(child(envBlock, "vars")),
  };
}

function applyToModule(
  item: SourceNode,
  override: SourceNode | undefined,
  defaults: readonly (readonly [string, SourceNode])[],
): SourceNode {
  if (item.kind !== "map") return item;
  let module = item;
  let config = child(module, "config");
  if (isMapNode(override)) {
    const configOverride = child(override, "config");
    // An empty `config:` in an override means "no change", not "remove the config".
    if (configOverride && !(configOverride.kind === "scalar" && configOverride.value === null)) {
      config = deepMerge(config, configOverride);
    }
    const provider = child(override, "provider");
    if (provider && (config === undefined || config.kind === "map")) {
      config = withEntry(config ?? emptyConfig(module), "provider", provider);
    }
    const isProtected = child(override, "protected");
    if (isProtected) module = withEntry(module, "protected", isProtected);
  }
  const type = stringChild(module, "type");
  if (type?.startsWith("infra.") && (config === undefined || config.kind === "map")) {
    for (const [key, node] of defaults) {
      if (child(config, key) === undefined)
        config = withEntry(config ?? emptyConfig(module), key, node);
    }
  }
  return config === child(module, "config") ? module : withEntry(module, "config", config);
}

function emptyConfig(module: MapNode): MapNode {
  return {
    kind: "map",
    pos: module.pos,
    path: joinPath(module.path, "config"),
    entries: new Map(),
  };
}

function envVars(node: SourceNode | undefined): Map<string, string> {
  const vars = new Map<string, string>();
  if (!isMapNode(node)) return vars;
  for (const [name, value] of node.entries) {
    if (value.kind === "scalar" && value.value !== null) vars.set(name, String(value.value));
  }
  return vars;
}
