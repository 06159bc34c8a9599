import path from "node:path";
import { hasErrors, sortDiagnostics, type UserDiagnostic } from "../diagnostics/index.js";
import { schemaDiagnostics } from "./ajv-messages.js";
import { buildConfig } from "./build-config.js";
import type { LoadOptions, LoadResult } from "./config-types.js";
import { displayPath } from "./display-path.js";
import { dropNullConfigs } from "./drop-null-configs.js";
import { applyEnvironment } from "./environments.js";
import { expandModuleConfigs } from "./expand-vars.js";
import { loadFiles } from "./imports.js";
import { mergeLayers } from "./merge.js";
import { checkModules } from "./module-checks.js";
import { checkPipelines } from "./pipeline-checks.js";
import { validateConfigData } from "./schema-validator.js";
import { child, isSeqNode, type MapNode, stringChild, toPlain } from "./source-tree.js";
import { checkTypes } from "./type-checks.js";
import type { ConfigTypeDefinition, ConfigTypeRegistry } from "./type-registry.js";

/**
 * Load a config file and its imports, apply `--env`, expand `${VAR}` and validate the
 * result, collecting every problem as a positioned diagnostic. Bad input never
 * throws; a config is returned only when there are no errors.
 */
export async function loadConfig(file: string, options: LoadOptions): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const topFile = path.resolve(cwd, file);
  const diagnostics: UserDiagnostic[] = [];
  const loaded = await loadFiles(topFile, cwd);
  diagnostics.push(...loaded.diagnostics);
  const done = (): LoadResult => ({ diagnostics: sortDiagnostics(diagnostics) });
  if (loaded.files.length === 0) return done();

  const { registry } = options;
  const sectionKeys = registry.sections().map((section) => section.key);
  const merged = mergeLayers(loaded.layers, sectionKeys, diagnostics) ?? emptyRoot(topFile, cwd);
  // A tree recovered from broken YAML would only add confusing follow-on errors.
  if (loaded.syntaxError) return done();

  const environment = applyEnvironment(dropNullConfigs(merged), options.env, diagnostics);
  const envVarsRead = new Set<string>();
  const root = expandModuleConfigs(environment.root, {
    environ: options.environ ?? process.env,
    vars: environment.vars,
    varsRead: envVarsRead,
    diagnostics,
  });

  // Step types the config's own modules add (`steps:`) are known from here on.
  const types = withDeclaredStepTypes(registry, root);
  checkTypes(root, types, diagnostics);
  const data = toPlain(root);
  const check = validateConfigData(types, data);
  diagnostics.push(...schemaDiagnostics(check.errors, root, check.schema));
  checkModules(root, environment.disabled, options.env, diagnostics);
  checkPipelines(root, diagnostics);
  if (hasErrors(diagnostics)) return done();

  const config = buildConfig(root, data, {
    file: topFile,
    dir: path.dirname(topFile),
    files: loaded.files,
    ...(options.env !== undefined ? { env: options.env } : {}),
    sectionKeys,
    envVarsRead,
  });
  return { config, diagnostics: sortDiagnostics(diagnostics) };
}

function emptyRoot(file: string, cwd: string): MapNode {
  return {
    kind: "map",
    pos: { file: displayPath(file, cwd), line: 1, col: 1 },
    path: "",
    entries: new Map(),
  };
}

/** The registry plus the step types a `steps:` section declares (well-formed ones). */
function withDeclaredStepTypes(registry: ConfigTypeRegistry, root: MapNode): ConfigTypeRegistry {
  const section = child(root, "steps");
  if (!isSeqNode(section)) return registry;
  const definitions: ConfigTypeDefinition[] = [];
  for (const entry of section.items) {
    const types = child(entry, "types");
    const module = stringChild(entry, "module") ?? "a steps module";
    if (!isSeqNode(types)) continue;
    for (const item of types.items) {
      const type =
        item.kind === "scalar" && typeof item.value === "string" ? item.value : undefined;
      if (
        type === undefined ||
        registry.lookup("step", type) ||
        definitions.some((d) => d.type === type)
      )
        continue;
      definitions.push({
        type,
        description: `A step type from ${module}.`,
        configSchema: { type: "object", description: `Configuration of a ${type} step.` },
      });
    }
  }
  return definitions.length > 0 ? registry.with("step", definitions) : registry;
}
