import {
  type CallOptions,
  ErrProviderMethodUnimplemented,
  ErrResourceNotFound,
  errorIs,
  type IaCStateStore,
  isProviderIDValidator,
  isResourceAdoptionLocator,
  providerIDFormatString,
  type ResourceDriver,
  type ResourceRef,
  type ResourceState,
  validateProviderID,
} from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { DesiredResource } from "../desired-resources.js";
import { configHash } from "../hashing.js";
import type { ProviderSet } from "../provider-set.js";
import { unlessUnimplemented } from "./provider-groups.js";

export interface ImportOptions {
  /** The config's resource to import (its name is the state key). */
  readonly desired: DesiredResource;
  /** The cloud ID (`--id`); without it the driver locates the resource from the spec. */
  readonly id?: string;
  readonly providers: ProviderSet;
  /** The caller holds the state lock. */
  readonly store: IaCStateStore;
  readonly signal?: AbortSignal;
}

/**
 * Adopts an existing cloud resource into state under the config's resource name.
 * With an ID, through provider.import; without, through the driver's
 * ResourceAdoptionLocator then a read. The ProviderID must match the format the
 * driver declares, and must not be in state under another name (else nothing is
 * saved). Saved as source `adoption` with the
 * desired spec's config as applied config, so drift checks existence only and the
 * next plan reconciles the config.
 */
export async function importResource(options: ImportOptions): Promise<ResourceState> {
  const { desired, store } = options;
  const { spec } = desired;
  const call: CallOptions = { signal: options.signal };
  const existing = await store.getResource(spec.name, call);
  if (existing) {
    throw new WfError(
      "WF_ERR_IAC",
      `resource "${spec.name}" is already in state (provider_id ${existing.provider_id}); import only adopts resources state does not track. To import another ${spec.type}, declare it in the config under a different name`,
    );
  }
  const provider = options.providers.get(desired.provider);
  const driver = provider.resourceDriver(spec.type);
  const found = options.id
    ? await importById(options, options.id)
    : await importByAdoption(options, driver);

  if (isProviderIDValidator(driver)) {
    const format = await unlessUnimplemented(() => driver.providerIDFormat());
    if (format !== undefined && !validateProviderID(found.provider_id, format)) {
      throw new WfError(
        "WF_ERR_PROVIDER",
        `provider "${desired.provider}" returned malformed ProviderID "${found.provider_id}" for ${spec.name} (${spec.type}): expected a ${providerIDFormatString(format)} ID; state not saved`,
      );
    }
  }
  const twin = (await store.listResources(call)).find(
    (e) => e.type === spec.type && e.provider_id === found.provider_id,
  );
  if (twin) {
    throw new WfError(
      "WF_ERR_IAC",
      `${spec.type} ${found.provider_id} is already in state as "${twin.name}"; one cloud resource cannot be managed under two names`,
    );
  }
  const now = new Date().toISOString();
  const state: ResourceState = {
    id: spec.name,
    name: spec.name,
    type: spec.type,
    provider: desired.provider,
    provider_id: found.provider_id,
    config_hash: configHash(spec.config),
    applied_config: spec.config,
    applied_config_source: "adoption",
    outputs: found.outputs,
    dependencies: spec.depends_on ?? [],
    created_at: now,
    updated_at: now,
  };
  await store.saveResource(state, call);
  return state;
}

interface Found {
  readonly provider_id: string;
  readonly outputs: Record<string, unknown>;
}

async function importById(options: ImportOptions, id: string): Promise<Found> {
  const { desired } = options;
  const { spec } = desired;
  const provider = options.providers.get(desired.provider);
  let imported: ResourceState | undefined;
  try {
    imported = await unlessUnimplemented(() =>
      provider.import(id, spec.type, { signal: options.signal }),
    );
  } catch (err) {
    if (!errorIs(err, ErrResourceNotFound)) throw err;
    throw new WfError(
      "WF_ERR_IAC",
      `provider "${desired.provider}" has no ${spec.type} with ID "${id}"; check the ID`,
      { cause: err },
    );
  }
  if (imported === undefined) {
    throw new WfError(
      "WF_ERR_PROVIDER",
      `provider "${desired.provider}" does not implement import; import ${spec.name} without --id if its driver can locate it`,
    );
  }
  if (imported.type !== spec.type) {
    throw new WfError(
      "WF_ERR_PROVIDER",
      `provider "${desired.provider}" imported ${id} as a ${imported.type}, but ${spec.name} is a ${spec.type}; check the ID`,
    );
  }
  return imported;
}

async function importByAdoption(options: ImportOptions, driver: ResourceDriver): Promise<Found> {
  const { desired } = options;
  const { spec } = desired;
  const unsupported = () =>
    new WfError(
      "WF_ERR_PROVIDER",
      `provider ${desired.provider} cannot import without --id: its driver for ${spec.type} does not implement ResourceAdoptionLocator`,
    );
  if (!isResourceAdoptionLocator(driver)) throw unsupported();
  let ref: ResourceRef | undefined;
  try {
    ref = await driver.adoptionRef(spec);
  } catch (err) {
    // "Found nothing" is undefined, so unimplemented must be told apart here.
    if (errorIs(err, ErrProviderMethodUnimplemented)) throw unsupported();
    throw err;
  }
  if (ref === undefined) {
    throw new WfError(
      "WF_ERR_IAC",
      `provider "${desired.provider}" found no existing ${spec.type} matching ${spec.name}; check its config, or pass --id`,
    );
  }
  try {
    return await driver.read(ref, { signal: options.signal });
  } catch (err) {
    if (!errorIs(err, ErrResourceNotFound)) throw err;
    throw new WfError(
      "WF_ERR_IAC",
      `provider "${desired.provider}" located ${spec.name} (${ref.provider_id || "by name"}) but could not read it: it is gone; pass --id`,
      { cause: err },
    );
  }
}
