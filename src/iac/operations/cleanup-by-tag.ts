import { type CallOptions, isEnumerator, type ResourceRef } from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import type { ProviderSet } from "../provider-set.js";
import { unlessUnimplemented } from "./provider-groups.js";

/** Why a provider is skipped; the CLI prints `skipped <provider>: <reason>`. */
export const ENUMERATOR_MISSING = "provider does not implement Enumerator";

export interface CleanupOptions {
  readonly tag: string;
  readonly providers: ProviderSet;
  /** Delete what is found; false is a dry run that only lists it. */
  readonly fix: boolean;
  readonly signal?: AbortSignal;
}

export interface CleanupError {
  /** `type/name` of the resource a delete failed for; absent when enumerating failed. */
  readonly resource?: string;
  readonly message: string;
}

export interface CleanupReport {
  /** The `iac.provider` module. */
  readonly provider: string;
  readonly skipped?: typeof ENUMERATOR_MISSING;
  /** Resources carrying the tag (a dry run deletes none of them). */
  readonly found: ResourceRef[];
  /** Names of the resources deleted (only with `fix`). */
  readonly deleted: string[];
  readonly errors: CleanupError[];
}

/**
 * Finds the resources carrying `tag` in every provider that can enumerate them
 * (`wfctl infra cleanup --tag`) and, with `fix`, deletes them through their drivers.
 * State is not consulted or changed. One provider's failure, or one failed delete,
 * is recorded in its report and the rest go on. Reports are in provider-set order.
 */
export async function cleanupByTag(options: CleanupOptions): Promise<CleanupReport[]> {
  const { providers } = options;
  return Promise.all(providers.names().map((module) => cleanupProvider(module, options)));
}

async function cleanupProvider(module: string, options: CleanupOptions): Promise<CleanupReport> {
  const provider = options.providers.get(module);
  const call: CallOptions = { signal: options.signal };
  const skipped: CleanupReport = {
    provider: module,
    skipped: ENUMERATOR_MISSING,
    found: [],
    deleted: [],
    errors: [],
  };
  if (!isEnumerator(provider)) return skipped;
  let found: ResourceRef[] | undefined;
  try {
    found = await unlessUnimplemented(() => provider.enumerateByTag(options.tag, call));
  } catch (err) {
    const message = `listing resources tagged "${options.tag}" failed: ${toError(err).message}`;
    return { provider: module, found: [], deleted: [], errors: [{ message }] };
  }
  if (found === undefined) return skipped;
  const report: CleanupReport = { provider: module, found, deleted: [], errors: [] };
  if (!options.fix) return report;
  for (const ref of found) {
    try {
      await provider.resourceDriver(ref.type).delete(ref, call);
      report.deleted.push(ref.name);
    } catch (err) {
      report.errors.push({ resource: `${ref.type}/${ref.name}`, message: toError(err).message });
    }
  }
  return report;
}
