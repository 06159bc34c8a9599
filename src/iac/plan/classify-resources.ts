import {
  type DiffResult,
  ErrResourceNotFound,
  errorIs,
  type FieldChange,
  isResourceAdoptionLocator,
  isUpsertSupporter,
  providerIDFormatString,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  type ResourceState,
  validateProviderID,
} from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import type { DesiredResource } from "../desired-resources.js";
import type { IacEventSink } from "../iac-events.js";
import type { DriverCache } from "./driver-cache.js";
import { runBounded } from "./run-bounded.js";

/**
 * What each desired resource needs, asked of its driver: Diff for resources in
 * state, adoption (Read + Diff) for new ones whose driver can find them, else create.
 */

export type Classification =
  | { readonly kind: "none" }
  | { readonly kind: "create" }
  | {
      readonly kind: "update" | "replace";
      /** The state entry, or for an adopted resource one synthesized from its Read. */
      readonly current: ResourceState;
      readonly changes: readonly FieldChange[];
    };

export interface ClassifyItem {
  readonly desired: DesiredResource;
  /** The spec with its config resolved against state: what Diff sees. */
  readonly spec: ResourceSpec;
  readonly state: ResourceState | undefined;
}

export interface ClassifyOptions {
  readonly drivers: DriverCache;
  readonly concurrency: number;
  /** RFC 3339 timestamp for synthesized (adopted) state entries. */
  readonly now: string;
  readonly emit: IacEventSink;
  readonly signal?: AbortSignal;
}

const NONE: Classification = { kind: "none" };
const CREATE: Classification = { kind: "create" };

/** One classification per item, in item order; at most `concurrency` items talk to drivers at once. */
export function classifyResources(
  items: readonly ClassifyItem[],
  opts: ClassifyOptions,
): Promise<Classification[]> {
  return runBounded(
    items,
    opts.concurrency,
    (item, signal) =>
      item.state === undefined
        ? adoptOrCreate(item, opts, signal)
        : diffExisting(item, item.state, opts, signal),
    opts.signal,
  );
}

async function diffExisting(
  item: ClassifyItem,
  state: ResourceState,
  opts: ClassifyOptions,
  signal: AbortSignal,
): Promise<Classification> {
  const { desired, spec } = item;
  // A new type or provider module cannot be diffed against the old resource: replace it.
  const moved: FieldChange[] = [];
  if (state.type !== spec.type) {
    moved.push({ path: "type", old: state.type, new: spec.type, force_new: true });
  }
  if (state.provider !== desired.provider) {
    moved.push({ path: "provider", old: state.provider, new: desired.provider, force_new: true });
  }
  if (moved.length > 0) return { kind: "replace", current: state, changes: moved };

  const driver = opts.drivers.get(desired.provider, spec.type, spec.name);
  await warnOnForeignID(item, state, driver, opts);
  const current: ResourceOutput = {
    name: state.name,
    type: state.type,
    provider_id: state.provider_id,
    outputs: state.outputs,
    status: "unknown",
  };
  const result = await driverCall(item, "diff", signal, () =>
    driver.diff(spec, current, { signal }),
  );
  return fromDiff(result, state);
}

/**
 * A new resource the driver can locate (ResourceAdoptionLocator, or `adopt_existing`
 * with an upsert-capable driver) is adopted: planned as an update (or replace) of the
 * live resource, never a create that would duplicate it. Upstream planned a create
 * carrying the changes, or nothing when there were none; either way the resource
 * never reached state. An adoption with no changes is still an update, so apply
 * records it in state and its outputs become available to references.
 */
async function adoptOrCreate(
  item: ClassifyItem,
  opts: ClassifyOptions,
  signal: AbortSignal,
): Promise<Classification> {
  const { desired, spec } = item;
  const driver = opts.drivers.get(desired.provider, spec.type, spec.name);
  const ref = await adoptionRef(item, driver, opts, signal);
  if (ref === undefined) return CREATE;
  let live: ResourceOutput;
  try {
    live = await driver.read(ref, { signal });
  } catch (err) {
    if (errorIs(err, ErrResourceNotFound)) return CREATE;
    if (signal.aborted) throw err;
    throw driverError(item, "adoption read", err);
  }
  const result = await driverCall(item, "diff", signal, () => driver.diff(spec, live, { signal }));
  const current = adoptedState(desired, live, ref, opts.now);
  const changes = result?.changes ?? [];
  return result && (result.needs_replace || changes.some((c) => c.force_new))
    ? { kind: "replace", current, changes }
    : { kind: "update", current, changes };
}

async function adoptionRef(
  item: ClassifyItem,
  driver: ResourceDriver,
  opts: ClassifyOptions,
  signal: AbortSignal,
): Promise<ResourceRef | undefined> {
  const { desired, spec } = item;
  if (isResourceAdoptionLocator(driver)) {
    return driverCall(item, "adoption lookup", signal, () => driver.adoptionRef(spec));
  }
  if (!desired.adoptExisting) return undefined;
  if (isUpsertSupporter(driver)) {
    const byName = await driverCall(item, "upsert probe", signal, () => driver.supportsUpsert());
    if (byName) return { name: spec.name, type: spec.type };
  }
  opts.emit({
    kind: "diagnostic",
    severity: "warning",
    resource: spec.name,
    message: `resource "${spec.name}": adopt_existing is set, but provider "${desired.provider}" cannot look up a ${spec.type} by name; planning a create`,
  });
  return undefined;
}

/** The "current" of an adopted resource: what Read returned, never its sensitive outputs. */
function adoptedState(
  desired: DesiredResource,
  live: ResourceOutput,
  ref: ResourceRef,
  now: string,
): ResourceState {
  const sensitive = live.sensitive ?? {};
  const outputs = Object.fromEntries(
    Object.entries(live.outputs ?? {}).filter(([key]) => sensitive[key] !== true),
  );
  return {
    id: desired.spec.name,
    name: desired.spec.name,
    type: desired.spec.type,
    provider: desired.provider,
    provider_id: live.provider_id || ref.provider_id || "",
    config_hash: "",
    applied_config: {},
    applied_config_source: "adoption",
    outputs,
    dependencies: [],
    created_at: now,
    updated_at: now,
  };
}

function fromDiff(result: DiffResult | undefined | null, current: ResourceState): Classification {
  if (!result) return NONE;
  const changes = result.changes ?? [];
  if (result.needs_replace || changes.some((c) => c.force_new)) {
    return { kind: "replace", current, changes };
  }
  return result.needs_update ? { kind: "update", current, changes } : NONE;
}

/** A state provider ID the driver would not have produced: worth a warning, not a failure. */
async function warnOnForeignID(
  item: ClassifyItem,
  state: ResourceState,
  driver: ResourceDriver,
  opts: ClassifyOptions,
): Promise<void> {
  const format = await opts.drivers.idFormat(item.desired.provider, state.type, driver);
  if (format === undefined || validateProviderID(state.provider_id, format)) return;
  opts.emit({
    kind: "diagnostic",
    severity: "warning",
    resource: state.name,
    message: `resource "${state.name}": provider ID ${JSON.stringify(state.provider_id)} in state is not a ${providerIDFormatString(format)} ID as provider "${item.desired.provider}" declares for ${state.type}; planning goes on`,
  });
}

async function driverCall<T>(
  item: ClassifyItem,
  what: string,
  signal: AbortSignal,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    // Once the plan is being stopped, the reason to report is the stop, not this call.
    if (signal.aborted) throw err;
    throw driverError(item, what, err);
  }
}

function driverError(item: ClassifyItem, what: string, err: unknown): WfError {
  const { spec, desired } = item;
  return new WfError(
    "WF_ERR_PROVIDER",
    `plan: ${what} of resource "${spec.name}" (${spec.type}) failed in provider "${desired.provider}": ${toError(err).message}`,
    { cause: err },
  );
}
