import type { BootstrapResult } from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import { STATE_BACKENDS } from "../module-types.js";
import type { ProviderSet } from "../provider-set.js";
import { unlessUnimplemented } from "./provider-groups.js";

export interface BootstrapOptions {
  /** The `iac.state` module's config; absent when the config declares none (filesystem). */
  readonly stateModuleConfig: Readonly<Record<string, unknown>> | undefined;
  readonly providers: ProviderSet;
  readonly signal?: AbortSignal;
}

export interface ProviderBootstrap {
  readonly provider: string;
  /** Undefined from a provider that manages no state backend. */
  readonly result: BootstrapResult | undefined;
}

export interface BootstrapReport {
  readonly backend: string;
  /** Set when the backend needs no bootstrap, in which case no provider was asked. */
  readonly note?: string;
  readonly results: ProviderBootstrap[];
}

/**
 * Makes sure the state backend exists (`wfctl infra bootstrap`). wfctl's own
 * backends (filesystem, sqlite, postgres) are created on first use, so for them this
 * only returns a note. Any other backend is a provider's to create: each provider is
 * asked, idempotently; every failure is named.
 */
export async function bootstrapStateBackend(options: BootstrapOptions): Promise<BootstrapReport> {
  const config = options.stateModuleConfig ?? {};
  const backend = typeof config.backend === "string" ? config.backend : "filesystem";
  if ((STATE_BACKENDS as readonly string[]).includes(backend)) {
    return {
      backend,
      note: `the ${backend} state backend needs no bootstrap: wfctl creates it on first use`,
      results: [],
    };
  }
  const failures: string[] = [];
  const results = await Promise.all(
    options.providers.names().map(async (module): Promise<ProviderBootstrap> => {
      const provider = options.providers.get(module);
      try {
        const result = await unlessUnimplemented(() =>
          provider.bootstrapStateBackend({ ...config }, { signal: options.signal }),
        );
        return { provider: module, result };
      } catch (err) {
        failures.push(`provider "${module}": ${toError(err).message}`);
        return { provider: module, result: undefined };
      }
    }),
  );
  if (failures.length > 0) {
    throw new WfError(
      "WF_ERR_PROVIDER",
      `bootstrapping the ${backend} state backend failed: ${failures.sort().join("; ")}`,
    );
  }
  return { backend, results };
}
