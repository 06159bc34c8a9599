import type { CallOptions, IaCStateStore, ResourceState } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { ProviderSet } from "../provider-set.js";
import { providerOfGroup, refOf, unlessUnimplemented } from "./provider-groups.js";

export interface ScaleOptions {
  readonly name: string;
  readonly replicas: number;
  readonly providers: ProviderSet;
  /** The caller holds the state lock. */
  readonly store: IaCStateStore;
  readonly signal?: AbortSignal;
}

/**
 * Scales a resource in state to `replicas` through its driver and saves the live
 * outputs (merged over the stored ones). The applied config is deliberately left
 * alone: the config stays the source of truth, so when its `instance_count` differs
 * the next plan shows an update back to it. Scale in the config to make it last.
 */
export async function scaleResource(options: ScaleOptions): Promise<ResourceState> {
  const { name, replicas, store } = options;
  const call: CallOptions = { signal: options.signal };
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new WfError(
      "WF_ERR_USAGE",
      `replicas must be a whole number of 0 or more, got ${replicas}`,
    );
  }
  const entry = await store.getResource(name, call);
  if (!entry) {
    throw new WfError(
      "WF_ERR_IAC",
      `no resource named "${name}" in state; apply it first (\`wfctl infra state list\` shows what state has)`,
    );
  }
  const provider = providerOfGroup(options.providers, entry.provider, [entry]);
  const declared = provider.capabilities().find((c) => c.resource_type === entry.type);
  const cannotScale = () =>
    new WfError(
      "WF_ERR_PROVIDER",
      `provider "${entry.provider}" cannot scale ${entry.type} resources such as ${name}`,
    );
  if (declared && !declared.operations.includes("scale")) throw cannotScale();
  const driver = provider.resourceDriver(entry.type);
  const output = await unlessUnimplemented(() => driver.scale(refOf(entry), replicas, call));
  if (output === undefined) throw cannotScale();
  const scaled: ResourceState = {
    ...entry,
    outputs: { ...entry.outputs, ...output.outputs },
    updated_at: new Date().toISOString(),
  };
  await store.saveResource(scaled, call);
  return scaled;
}
