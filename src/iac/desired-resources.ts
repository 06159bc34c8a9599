import type { ModuleConfig, WorkflowConfig } from "../config/index.js";
import type { ResourceSpec, Size } from "../contracts/index.js";
import { isSize } from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";

/** Config keys that steer the engine and are not part of the resource's own config. */
const ENGINE_KEYS = new Set(["provider", "iac_provider", "depends_on", "adopt_existing"]);

/** A resource the config asks for, with the engine's view of it. */
export interface DesiredResource {
  readonly spec: ResourceSpec;
  /** Name of the `iac.provider` module that manages it. */
  readonly provider: string;
  readonly protected: boolean;
  readonly adoptExisting: boolean;
  /** The module it came from, for positions in messages (config.locate). */
  readonly moduleIndex: number;
}

export interface InfraModules {
  readonly providers: readonly ModuleConfig[];
  readonly state: ModuleConfig | undefined;
  readonly resources: readonly DesiredResource[];
}

/**
 * The infrastructure part of a loaded config: provider modules, the state module and
 * the desired resources. A resource's name is `config.name`, else the module name;
 * `config.provider` (or `iac_provider`) names an `iac.provider` module; dependencies
 * are `config.depends_on` plus the module's `dependsOn`, as resource names.
 */
export function infraModules(config: WorkflowConfig): InfraModules {
  const providers = config.modules.filter((m) => m.type === "iac.provider");
  const providerNames = new Set(providers.map((m) => m.name));
  const stateModules = config.modules.filter((m) => m.type === "iac.state");
  const infra = config.modules
    .map((module, index) => ({ module, index }))
    .filter(({ module }) => module.type.startsWith("infra."));
  const resourceName = (m: ModuleConfig) =>
    typeof m.config.name === "string" ? m.config.name : m.name;
  const byModule = new Map(infra.map(({ module }) => [module.name, resourceName(module)]));

  const resources = infra.map(({ module, index }): DesiredResource => {
    const name = resourceName(module);
    const provider = String(module.config.provider ?? module.config.iac_provider ?? "");
    if (!providerNames.has(provider)) {
      const where = config.locate(["modules", index, "config", "provider"]);
      const at = where ? `${where.file}:${where.line}:${where.col}: ` : "";
      const declared = [...providerNames];
      throw new WfError(
        "WF_ERR_CONFIG_REFERENCE",
        `${at}resource "${name}": provider "${provider}" is not an iac.provider module${declared.length > 0 ? ` (declared: ${declared.join(", ")})` : "; declare one with type: iac.provider"}`,
      );
    }
    const configDeps = Array.isArray(module.config.depends_on)
      ? (module.config.depends_on as string[])
      : [];
    const dependsOn = [
      ...new Set([...configDeps, ...module.dependsOn].map((d) => byModule.get(d) ?? d)),
    ];
    const resourceConfig = Object.fromEntries(
      Object.entries(module.config).filter(([key]) => !ENGINE_KEYS.has(key)),
    );
    if (module.protected) resourceConfig.protected = true;
    const size = module.config.size;
    const spec: ResourceSpec = {
      name,
      type: module.type,
      config: resourceConfig,
      ...(isSize(size) ? { size: size as Size } : {}),
      ...(dependsOn.length > 0 ? { depends_on: dependsOn } : {}),
    };
    return {
      spec,
      provider,
      protected: module.protected || module.config.protected === true,
      adoptExisting: module.config.adopt_existing === true,
      moduleIndex: index,
    };
  });
  return { providers, state: stateModules[0], resources };
}
