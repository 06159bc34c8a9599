import type { ResourceState } from "../../contracts/index.js";
import type { ProviderSet } from "../provider-set.js";
import { driverSensitiveKeys, isSensitiveKey, SENSITIVE_MASK } from "./sensitive-keys.js";

export interface CollectOutputsOptions {
  /** Print sensitive values as they are (`--show-sensitive`). */
  readonly showSensitive: boolean;
  /** For the drivers' own sensitive keys; without it only the fixed name list masks. */
  readonly providers?: ProviderSet;
}

/** Resource name → output key → value, as `wfctl infra outputs` shows them. */
export type CollectedOutputs = Record<string, Record<string, unknown>>;

/**
 * The outputs recorded in state, resource by resource in state order, with sensitive
 * values replaced by `(sensitive)` unless asked for (see isSensitiveKey).
 */
export async function collectOutputs(
  state: readonly ResourceState[],
  options: CollectOutputsOptions,
): Promise<CollectedOutputs> {
  const keysByDriver = new Map<string, Promise<string[]>>();
  const driverKeys = (entry: ResourceState): Promise<string[]> => {
    const { providers } = options;
    if (!providers || options.showSensitive) return Promise.resolve([]);
    const id = `${entry.provider}\0${entry.type}`;
    let keys = keysByDriver.get(id);
    if (!keys) {
      keys = driverSensitiveKeys(providers, entry.provider, entry.type);
      keysByDriver.set(id, keys);
    }
    return keys;
  };
  const collected: CollectedOutputs = {};
  for (const entry of state) {
    const sensitive = await driverKeys(entry);
    collected[entry.name] = Object.fromEntries(
      Object.entries(entry.outputs).map(([key, value]) => [
        key,
        !options.showSensitive && isSensitiveKey(key, sensitive) ? SENSITIVE_MASK : value,
      ]),
    );
  }
  return collected;
}
