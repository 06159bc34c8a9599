import type {
  CallOptions,
  IaCStateStore,
  ResourceState,
  ResourceStatus,
} from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import type { ProviderSet } from "../provider-set.js";
import { groupByProvider, providerOfGroup, refOf, unlessUnimplemented } from "./provider-groups.js";

export interface StatusOptions {
  readonly providers: ProviderSet;
  readonly store: IaCStateStore;
  /** The entries to report; the whole state when absent. */
  readonly state?: readonly ResourceState[];
  readonly signal?: AbortSignal;
}

export interface StatusReport {
  /** One per state entry, in state order. */
  readonly statuses: ResourceStatus[];
  /** Providers that could not answer; their resources are reported `unknown`. */
  readonly warnings: string[];
}

/** The status of resources a provider did not (or could not) report. */
export const UNKNOWN_STATUS = "unknown";

/**
 * Live status of every resource in state, one provider.status call per provider
 * module. A provider that fails is a warning, not a failure: its resources are
 * reported `unknown` and the other providers still answer. Outputs are the
 * provider's, unmasked: views mask them with isSensitiveKey.
 */
export async function resourceStatuses(options: StatusOptions): Promise<StatusReport> {
  const call: CallOptions = { signal: options.signal };
  const entries = options.state ?? (await options.store.listResources(call));
  const answered = new Map<string, ResourceStatus>();
  const warnings: string[] = [];
  await Promise.all(
    [...groupByProvider(entries)].map(async ([module, group]) => {
      try {
        const provider = providerOfGroup(options.providers, module, group);
        const statuses = await unlessUnimplemented(() => provider.status(group.map(refOf), call));
        if (statuses === undefined) {
          warnings.push(`provider "${module}" does not report status`);
          return;
        }
        const names = new Set(group.map((e) => e.name));
        for (const s of statuses) if (names.has(s.name)) answered.set(s.name, s);
      } catch (err) {
        warnings.push(`provider "${module}": status failed: ${toError(err).message}`);
      }
    }),
  );
  const statuses = entries.map(
    (entry): ResourceStatus =>
      answered.get(entry.name) ?? {
        name: entry.name,
        type: entry.type,
        provider_id: entry.provider_id,
        status: UNKNOWN_STATUS,
        outputs: {},
      },
  );
  return { statuses, warnings: warnings.sort() };
}
