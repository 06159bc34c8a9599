import path from "node:path";
import { type IaCProvider, isIaCProvider } from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";
import { importUserModule } from "../user-module.js";

/** Makes a fresh, uninitialised provider instance. */
export type ProviderFactory = () => IaCProvider;

/**
 * Where providers come from, by the name an `iac.provider` module gives in
 * `config.provider`: built-in providers registered by name (`local`), or a
 * JavaScript/TypeScript module path (`./providers/mine.js`, relative to the config's
 * folder) whose default export is a ProviderFactory. Plugins register here under
 * the provider name their manifest gives (the CLI's defaultProviderCatalog).
 */
export class ProviderCatalog {
  readonly #factories = new Map<string, ProviderFactory>();

  register(name: string, factory: ProviderFactory): this {
    this.#factories.set(name, factory);
    return this;
  }

  names(): string[] {
    return [...this.#factories.keys()].sort();
  }

  async instantiate(provider: string, configDir: string): Promise<IaCProvider> {
    const factory = this.#factories.get(provider);
    if (factory) return factory();
    if (isModulePath(provider)) return loadModuleProvider(path.resolve(configDir, provider));
    const known = this.names();
    throw new WfError(
      "WF_ERR_PROVIDER",
      `unknown provider "${provider}"${known.length > 0 ? ` (available: ${known.join(", ")})` : ""}; a module path such as ./my-provider.js is also accepted`,
    );
  }
}

function isModulePath(provider: string): boolean {
  return provider.startsWith("./") || provider.startsWith("../") || path.isAbsolute(provider);
}

async function loadModuleProvider(file: string): Promise<IaCProvider> {
  let mod: { default?: unknown };
  try {
    mod = await importUserModule(file);
  } catch (err) {
    throw new WfError(
      "WF_ERR_PROVIDER",
      `cannot load provider module ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const factory = mod.default;
  const provider = typeof factory === "function" ? (factory as () => unknown)() : undefined;
  if (!isIaCProvider(provider)) {
    throw new WfError(
      "WF_ERR_PROVIDER",
      `provider module ${file} must default-export a function returning an IaCProvider`,
    );
  }
  return provider;
}
