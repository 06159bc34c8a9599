import type { ModuleConfig } from "../config/index.js";
import type { IaCProvider } from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";
import type { ProviderCatalog } from "./provider-catalog.js";

/**
 * The providers of one run, keyed by `iac.provider` module name: each instantiated
 * and initialised once (with its module config minus `provider`), closed once.
 */
export class ProviderSet {
  readonly #providers: ReadonlyMap<string, IaCProvider>;

  private constructor(providers: ReadonlyMap<string, IaCProvider>) {
    this.#providers = providers;
  }

  /** `extraConfig` is merged into every provider's initialize config (e.g. `delete_data` from `destroy --delete-data`). */
  static async open(
    modules: readonly ModuleConfig[],
    catalog: ProviderCatalog,
    configDir: string,
    extraConfig: Readonly<Record<string, unknown>> = {},
  ): Promise<ProviderSet> {
    const opened = new Map<string, IaCProvider>();
    try {
      for (const module of modules) {
        const { provider: kind, ...config } = module.config;
        const provider = await catalog.instantiate(String(kind), configDir);
        opened.set(module.name, provider);
        try {
          await provider.initialize({ ...config, ...extraConfig, _config_dir: configDir });
        } catch (err) {
          throw new WfError(
            "WF_ERR_PROVIDER",
            `provider module "${module.name}" (${String(kind)}) failed to initialize: ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
    } catch (err) {
      await Promise.allSettled([...opened.values()].map((p) => p.close()));
      throw err;
    }
    return new ProviderSet(opened);
  }

  /** Wraps an already-initialised provider set (tests, embedding). */
  static of(providers: Readonly<Record<string, IaCProvider>>): ProviderSet {
    return new ProviderSet(new Map(Object.entries(providers)));
  }

  get(module: string): IaCProvider {
    const provider = this.#providers.get(module);
    if (!provider)
      throw new WfError("WF_ERR_CONFIG_REFERENCE", `no iac.provider module named "${module}"`);
    return provider;
  }

  names(): string[] {
    return [...this.#providers.keys()];
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#providers.values()].map((p) => p.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
