import {
  type CallOptions,
  DriftClass,
  type DriftResult,
  ErrResourceNotFound,
  effectiveAppliedConfigSource,
  errorIs,
  type IaCProvider,
  type IaCStateStore,
  isDriftConfigDetector,
  type ResourceOutput,
  type ResourceSpec,
  type ResourceState,
} from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import type { ProviderSet } from "../provider-set.js";
import {
  appliedSpecOf,
  groupByProvider,
  providerOfGroup,
  refOf,
  unlessUnimplemented,
} from "./provider-groups.js";
import { settleBounded } from "./settle-bounded.js";

export interface DetectDriftOptions {
  readonly providers: ProviderSet;
  /** Where `last_drift_check` is recorded; the caller should hold the state lock. */
  readonly store: IaCStateStore;
  /** The entries to check; the whole state when absent. */
  readonly state?: readonly ResourceState[];
  /** Driver reads in flight per provider when falling back to reads (default 8). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

/**
 * Drift between state and the cloud, one DriftResult per state entry, in state
 * order. Desired config plays no part: config vs state is what `plan` shows.
 *
 * Per provider, the first strategy that answers wins, resource by resource:
 * 1. DriftConfigDetector, with specs only for entries whose applied config came from
 *    an apply (adoption-shaped entries get existence-only checks, as the seed says);
 * 2. the provider's detectDrift, for results with a known class;
 * 3. a driver read: not found = ghost; else the driver's diff of the applied spec
 *    against the live output (apply-sourced entries only) gives config drift.
 * A method answering ErrProviderMethodUnimplemented falls through to the next.
 *
 * Any other failure fails the whole check (naming every failed resource) and
 * records nothing; on success each entry's `last_drift_check` is saved.
 */
export async function detectDrift(options: DetectDriftOptions): Promise<DriftResult[]> {
  const { providers, store } = options;
  const entries = options.state ?? (await store.listResources({ signal: options.signal }));
  const call: CallOptions = { signal: options.signal };
  const found = new Map<string, DriftResult>();
  const failures: string[] = [];
  await Promise.all(
    [...groupByProvider(entries)].map(async ([module, group]) => {
      let provider: IaCProvider;
      try {
        provider = providerOfGroup(providers, module, group);
      } catch (err) {
        failures.push(toError(err).message);
        return;
      }
      try {
        const results = await driftOfGroup(provider, group, options.concurrency ?? 8, call);
        for (const [name, result] of results.found) found.set(name, result);
        failures.push(...results.failures);
      } catch (err) {
        failures.push(`provider "${module}": ${toError(err).message}`);
      }
    }),
  );
  if (failures.length > 0) {
    throw new WfError(
      "WF_ERR_PROVIDER",
      `drift check failed (nothing recorded): ${failures.sort().join("; ")}`,
    );
  }
  await recordDriftCheck(store, entries, new Date().toISOString(), call);
  return entries.map((entry) => found.get(entry.name) as DriftResult);
}

/** Apply-sourced entries with a non-empty applied config are the only ones checked for config drift. */
function configCheckable(entry: ResourceState): boolean {
  return (
    effectiveAppliedConfigSource(entry) === "apply" && Object.keys(entry.applied_config).length > 0
  );
}

async function driftOfGroup(
  provider: IaCProvider,
  group: readonly ResourceState[],
  concurrency: number,
  call: CallOptions,
): Promise<{ found: Map<string, DriftResult>; failures: string[] }> {
  const found = new Map<string, DriftResult>();
  const pending = () => group.filter((e) => !found.has(e.name));
  const take = (results: readonly DriftResult[] | undefined) => {
    const names = new Set(group.map((e) => e.name));
    for (const r of results ?? []) {
      if (names.has(r.name) && r.class !== undefined && r.class !== DriftClass.Unknown) {
        found.set(r.name, r);
      }
    }
  };

  if (isDriftConfigDetector(provider)) {
    const specs: Record<string, ResourceSpec> = {};
    for (const entry of group.filter(configCheckable)) specs[entry.name] = appliedSpecOf(entry);
    take(
      await unlessUnimplemented(() => provider.detectDriftWithSpecs(group.map(refOf), specs, call)),
    );
  }
  if (pending().length > 0) {
    take(await unlessUnimplemented(() => provider.detectDrift(pending().map(refOf), call)));
  }
  const rest = pending();
  const failures: string[] = [];
  const settled = await settleBounded(rest, concurrency, (entry) =>
    readDrift(provider, entry, call),
  );
  settled.forEach((outcome, i) => {
    const entry = rest[i] as ResourceState;
    if (outcome.status === "fulfilled") found.set(entry.name, outcome.value);
    else failures.push(`${entry.name} (${entry.type}): ${toError(outcome.reason).message}`);
  });
  return { found, failures };
}

async function readDrift(
  provider: IaCProvider,
  entry: ResourceState,
  call: CallOptions,
): Promise<DriftResult> {
  const driver = provider.resourceDriver(entry.type);
  const base = { name: entry.name, type: entry.type };
  let live: ResourceOutput;
  try {
    live = await driver.read(refOf(entry), call);
  } catch (err) {
    if (errorIs(err, ErrResourceNotFound)) {
      return { ...base, drifted: true, class: DriftClass.Ghost };
    }
    throw err;
  }
  const inSync: DriftResult = { ...base, drifted: false, class: DriftClass.InSync };
  if (!configCheckable(entry)) return inSync;
  const diff = await driver.diff(appliedSpecOf(entry), live, call);
  if (diff.changes.length === 0 && !diff.needs_update && !diff.needs_replace) return inSync;
  // The diff runs desired (applied) against current (live): `new` is what was
  // applied, `old` is what the cloud has now.
  const expected: Record<string, unknown> = {};
  const actual: Record<string, unknown> = {};
  for (const change of diff.changes) {
    expected[change.path] = change.new;
    actual[change.path] = change.old;
  }
  return {
    ...base,
    drifted: true,
    class: DriftClass.Config,
    fields: diff.changes.map((c) => c.path),
    expected,
    actual,
  };
}

/**
 * Saves `last_drift_check` on each checked entry, re-read first so that outputs an
 * apply saved meanwhile are not overwritten with the copy the check started from.
 */
async function recordDriftCheck(
  store: IaCStateStore,
  entries: readonly ResourceState[],
  at: string,
  call: CallOptions,
): Promise<void> {
  for (const entry of entries) {
    const current = await store.getResource(entry.name, call);
    if (current) await store.saveResource({ ...current, last_drift_check: at }, call);
  }
}
