import canonicalize from "canonicalize";
import {
  type CallOptions,
  ErrResourceNotFound,
  errorIs,
  type IaCStateStore,
  type ResourceOutput,
  type ResourceState,
} from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import { type IacEventSink, ignoreEvents } from "../iac-events.js";
import type { ProviderSet } from "../provider-set.js";
import { groupByProvider, providerOfGroup, refOf } from "./provider-groups.js";
import { settleBounded } from "./settle-bounded.js";

export interface RefreshOptions {
  readonly providers: ProviderSet;
  /** The caller holds the state lock. */
  readonly store: IaCStateStore;
  /** The entries to refresh; the whole state when absent. */
  readonly state?: readonly ResourceState[];
  /** Remove ghosts (resources the cloud no longer has) from state. */
  readonly prune: boolean;
  /** Let `prune` remove ghosts marked `protected: true` (`--allow-protected-prune`). */
  readonly allowProtectedPrune?: boolean;
  readonly onEvent?: IacEventSink;
  /** Driver reads in flight (default 8). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

export interface RefreshResult {
  /** Re-read successfully (their outputs now match the cloud). */
  readonly refreshed: string[];
  /** Gone from the cloud. */
  readonly ghosts: string[];
  /** Ghosts removed from state (only with `prune`). */
  readonly pruned: string[];
}

/**
 * Re-reads every resource through its driver and merges the live outputs into state:
 * live keys over stored ones, keys the read no longer reports are kept. All or
 * nothing: if any read fails with anything but not-found, or `prune` would remove a
 * protected ghost without `allowProtectedPrune` (all such ghosts are named), nothing
 * in state changes.
 *
 * Pruning only forgets a ghost; when the config still declares it, the next plan
 * finds no state for it and creates it again.
 */
export async function refreshState(options: RefreshOptions): Promise<RefreshResult> {
  const { providers, store } = options;
  const onEvent = options.onEvent ?? ignoreEvents;
  const call: CallOptions = { signal: options.signal };
  const entries = options.state ?? (await store.listResources(call));

  const live = new Map<string, ResourceOutput>();
  const gone = new Set<string>();
  const failures: string[] = [];
  for (const [module, group] of groupByProvider(entries)) {
    let read: (entry: ResourceState) => Promise<ResourceOutput>;
    try {
      const provider = providerOfGroup(providers, module, group);
      read = (entry) => provider.resourceDriver(entry.type).read(refOf(entry), call);
    } catch (err) {
      failures.push(toError(err).message);
      continue;
    }
    const settled = await settleBounded(group, options.concurrency ?? 8, read);
    settled.forEach((outcome, i) => {
      const entry = group[i] as ResourceState;
      if (outcome.status === "fulfilled") live.set(entry.name, outcome.value);
      else if (errorIs(outcome.reason, ErrResourceNotFound)) gone.add(entry.name);
      else failures.push(`${entry.name} (${entry.type}): ${toError(outcome.reason).message}`);
    });
  }
  if (failures.length > 0) {
    throw new WfError(
      "WF_ERR_PROVIDER",
      `refresh changed nothing: ${failures.length} failure(s) reading resources: ${failures.join("; ")}`,
    );
  }

  const ghosts = entries.filter((e) => gone.has(e.name));
  const isProtected = (e: ResourceState) => e.applied_config.protected === true;
  const blocked = ghosts.filter(isProtected);
  if (options.prune && blocked.length > 0 && !options.allowProtectedPrune) {
    throw new WfError(
      "WF_ERR_PROTECTED",
      `refresh blocked, nothing changed: ${blocked.length} protected resource(s) are gone from the cloud and pruning them from state needs --allow-protected-prune: ${blocked.map((e) => e.name).join(", ")}`,
    );
  }

  const now = new Date().toISOString();
  const refreshed: string[] = [];
  for (const entry of entries) {
    const output = live.get(entry.name);
    if (!output) continue;
    const outputs = { ...entry.outputs, ...output.outputs };
    if (canonicalize(outputs) !== canonicalize(entry.outputs)) {
      await store.saveResource({ ...entry, outputs, updated_at: now }, call);
    }
    refreshed.push(entry.name);
  }
  const pruned: string[] = [];
  if (options.prune) {
    for (const ghost of ghosts) {
      await store.deleteResource(ghost.name, call);
      pruned.push(ghost.name);
      onEvent({
        kind: "state:pruned",
        resource: ghost.name,
        type: ghost.type,
        protected: isProtected(ghost),
      });
    }
  }
  return { refreshed, ghosts: ghosts.map((g) => g.name), pruned };
}
