import {
  isProviderIDValidator,
  type PlanAction,
  ProviderIDFormat,
  type ResourceDriver,
} from "../../contracts/index.js";
import type { ProviderSet } from "../provider-set.js";

/**
 * Finds the driver for an action's resource, and remembers per driver what apply asks
 * of it more than once (its provider-ID format and sensitive output keys): a remote
 * driver answers those over the plugin wire.
 */
export class DriverResolver {
  readonly #providers: ProviderSet;
  readonly #providerOf: Readonly<Record<string, string>>;
  readonly #drivers = new Map<string, ResourceDriver>();
  readonly #formats = new Map<string, Promise<ProviderIDFormat>>();
  readonly #sensitive = new Map<string, Promise<string[]>>();

  constructor(providers: ProviderSet, providerOf: Readonly<Record<string, string>>) {
    this.#providers = providers;
    this.#providerOf = providerOf;
  }

  /**
   * The `iac.provider` module of an action's resource: from the config, else (for a
   * resource only state still knows) the one its state names.
   */
  moduleOf(action: PlanAction): string {
    const name = action.resource.name;
    const configured = Object.hasOwn(this.#providerOf, name) ? this.#providerOf[name] : undefined;
    const module = configured || action.current?.provider_ref || action.current?.provider;
    if (!module) {
      throw new Error(
        `resource "${name}" has no iac.provider module (it is not in the config and its state names none)`,
      );
    }
    return module;
  }

  /** Throws when the module or its driver for `type` does not exist. */
  driver(module: string, type: string): ResourceDriver {
    const key = `${module}\0${type}`;
    let driver = this.#drivers.get(key);
    if (!driver) {
      driver = this.#providers.get(module).resourceDriver(type);
      this.#drivers.set(key, driver);
    }
    return driver;
  }

  /** The driver's declared ID shape; Unknown (no checks) when it declares none. */
  idFormat(module: string, type: string, driver: ResourceDriver): Promise<ProviderIDFormat> {
    return memo(this.#formats, `${module}\0${type}`, async () => {
      if (!isProviderIDValidator(driver)) return ProviderIDFormat.Unknown;
      try {
        return await driver.providerIDFormat();
      } catch {
        return ProviderIDFormat.Unknown; // e.g. unimplemented by a plugin: no checks
      }
    });
  }

  /** The driver's SensitiveKeys; none when it fails to say. */
  sensitiveKeys(module: string, type: string, driver: ResourceDriver): Promise<string[]> {
    return memo(this.#sensitive, `${module}\0${type}`, async () => {
      try {
        const keys = await driver.sensitiveKeys();
        return Array.isArray(keys) ? keys : [];
      } catch {
        return [];
      }
    });
  }
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>) {
  let value = cache.get(key);
  if (!value) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}
