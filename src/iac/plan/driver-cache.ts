import {
  isProviderIDValidator,
  type ProviderIDFormat,
  type ResourceDriver,
} from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { ProviderSet } from "../provider-set.js";

/** Drivers (and their declared provider-ID formats) looked up once per provider module and type. */
export class DriverCache {
  readonly #providers: ProviderSet;
  readonly #drivers = new Map<string, ResourceDriver>();
  readonly #formats = new Map<string, Promise<ProviderIDFormat | undefined>>();

  constructor(providers: ProviderSet) {
    this.#providers = providers;
  }

  /** The driver for `type` in provider module `provider`; `resource` names the failure. */
  get(provider: string, type: string, resource: string): ResourceDriver {
    const key = `${provider}\0${type}`;
    let driver = this.#drivers.get(key);
    if (driver === undefined) {
      try {
        driver = this.#providers.get(provider).resourceDriver(type);
      } catch (err) {
        throw new WfError(
          "WF_ERR_PROVIDER",
          `resource "${resource}": provider "${provider}" has no driver for type ${type}: ${(err as Error).message}`,
          { cause: err },
        );
      }
      this.#drivers.set(key, driver);
    }
    return driver;
  }

  /** The ID format the driver declares, or undefined when it declares none (or cannot say). */
  idFormat(
    provider: string,
    type: string,
    driver: ResourceDriver,
  ): Promise<ProviderIDFormat | undefined> {
    const key = `${provider}\0${type}`;
    let format = this.#formats.get(key);
    if (format === undefined) {
      // A format the driver cannot report only disables a warning: never fail the plan for it.
      format = isProviderIDValidator(driver)
        ? driver.providerIDFormat().catch(() => undefined)
        : Promise.resolve(undefined);
      this.#formats.set(key, format);
    }
    return format;
  }
}
