import {
  ErrProviderMethodUnimplemented,
  errorIs,
  type IaCProvider,
  type ResourceRef,
  type ResourceSpec,
  type ResourceState,
} from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { ProviderSet } from "../provider-set.js";

/** Helpers the operations share for addressing state entries through their providers. */

/** A state entry as a reference for driver and provider calls. */
export function refOf(entry: ResourceState): ResourceRef {
  return { name: entry.name, type: entry.type, provider_id: entry.provider_id };
}

/** A state entry's applied config as a spec (what the resource was last applied with). */
export function appliedSpecOf(entry: ResourceState): ResourceSpec {
  return {
    name: entry.name,
    type: entry.type,
    config: entry.applied_config,
    ...(entry.dependencies.length > 0 ? { depends_on: entry.dependencies } : {}),
  };
}

/** State entries keyed by the `iac.provider` module that manages them, in first-seen order. */
export function groupByProvider(entries: readonly ResourceState[]): Map<string, ResourceState[]> {
  const groups = new Map<string, ResourceState[]>();
  for (const entry of entries) {
    const group = groups.get(entry.provider);
    if (group) group.push(entry);
    else groups.set(entry.provider, [entry]);
  }
  return groups;
}

/**
 * The provider of a group, or an error naming the resources it strands: state
 * records a module the config no longer declares.
 */
export function providerOfGroup(
  providers: ProviderSet,
  module: string,
  entries: readonly ResourceState[],
): IaCProvider {
  if (!providers.names().includes(module)) {
    const names = entries.map((e) => e.name).join(", ");
    throw new WfError(
      "WF_ERR_CONFIG_REFERENCE",
      `state says provider module "${module}" manages ${names}, but the config declares no iac.provider module of that name; declare it again to manage those resources`,
    );
  }
  return providers.get(module);
}

/**
 * Runs an optional provider or driver method. Undefined when an out-of-process
 * provider answers that it lacks the method, which counts as "does not implement".
 */
export async function unlessUnimplemented<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (errorIs(err, ErrProviderMethodUnimplemented)) return undefined;
    throw err;
  }
}
