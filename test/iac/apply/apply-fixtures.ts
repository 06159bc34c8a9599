/**
 * Shared set-up for the apply tests: a FakeCloudProvider (test double) in a
 * ProviderSet under the module name "cloud", an in-memory state store (test double),
 * hand-built plans, and proxies that override single driver methods.
 */
import type {
  IaCPlan,
  IaCProvider,
  PlanAction,
  ResourceDriver,
  ResourceState,
} from "../../../src/contracts/index.js";
import { type ApplyInput, applyPlan } from "../../../src/iac/apply/index.js";
import type { IacEvent } from "../../../src/iac/iac-events.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { type CloudRecord, FakeCloudProvider } from "../../doubles/fake-cloud-provider.js";
import { MemoryStateStore } from "../../doubles/memory-state-store.js";

export const VPC = "infra.vpc";
export const DB = "infra.database";
export const APP = "infra.app";

export interface Harness {
  readonly cloud: FakeCloudProvider;
  readonly store: MemoryStateStore;
  readonly events: IacEvent[];
  providers: ProviderSet;
  apply(plan: IaCPlan, extra?: Partial<ApplyInput>): ReturnType<typeof applyPlan>;
}

/** A fake cloud initialised with `config` (latency_ms, fail_on, capabilities...) and a store. */
export async function harness(
  config: Record<string, unknown> = {},
  state: readonly ResourceState[] = [],
): Promise<Harness> {
  const cloud = new FakeCloudProvider();
  await cloud.initialize(config);
  const store = new MemoryStateStore(state);
  const events: IacEvent[] = [];
  const h: Harness = {
    cloud,
    store,
    events,
    providers: ProviderSet.of({ cloud }),
    apply: (plan, extra = {}) =>
      applyPlan({
        plan,
        providerOf: Object.fromEntries(plan.actions.map((a) => [a.resource.name, "cloud"])),
        providers: h.providers,
        store,
        environ: {},
        onEvent: (e) => events.push(e),
        ...extra,
      }),
  };
  return h;
}

let planSeq = 0;
export function planOf(...actions: PlanAction[]): IaCPlan {
  return { id: `plan-${++planSeq}`, actions, created_at: new Date().toISOString() };
}

export function create(
  name: string,
  config: Record<string, unknown> = {},
  dependsOn?: string[],
  type = VPC,
): PlanAction {
  return {
    action: "create",
    resource: { name, type, config, ...(dependsOn ? { depends_on: dependsOn } : {}) },
  };
}

export function update(current: ResourceState, config: Record<string, unknown>): PlanAction {
  return {
    action: "update",
    resource: { name: current.name, type: current.type, config },
    current,
  };
}

export function replace(current: ResourceState, config: Record<string, unknown>): PlanAction {
  return {
    action: "replace",
    resource: { name: current.name, type: current.type, config },
    current,
  };
}

export function remove(current: ResourceState): PlanAction {
  return {
    action: "delete",
    resource: {
      name: current.name,
      type: current.type,
      config: {},
      depends_on: current.dependencies,
    },
    current,
  };
}

/** A state record describing a resource seeded in the fake cloud. */
export function stateOf(record: CloudRecord, extra: Partial<ResourceState> = {}): ResourceState {
  const now = new Date().toISOString();
  return {
    id: record.name,
    name: record.name,
    type: record.type,
    provider: "cloud",
    provider_id: record.id,
    config_hash: "",
    applied_config: record.config,
    applied_config_source: "apply",
    outputs: { endpoint: `https://${record.name}.fake.test` },
    dependencies: [],
    created_at: now,
    updated_at: now,
    ...extra,
  };
}

/** The provider with some driver methods replaced; `inner` is the fake's own driver. */
export function withDriver(
  provider: IaCProvider,
  overrides: (inner: ResourceDriver, type: string) => Record<string, unknown>,
): IaCProvider {
  return forward(provider, {
    resourceDriver: (type: string) => {
      const inner = provider.resourceDriver(type);
      return forward(inner, overrides(inner, type));
    },
  });
}

/** A proxy answering `overrides` first and forwarding everything else, methods bound. */
function forward<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === "string" && Object.hasOwn(overrides, prop)) return overrides[prop];
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

export function outcomeOf(result: Awaited<ReturnType<typeof applyPlan>>, index: number) {
  const outcome = result.actions?.find((a) => a.action_index === index);
  if (!outcome) throw new Error(`no outcome for action ${index}`);
  return outcome;
}

/** Most driver calls overlapping at any instant, from the fake's call log. */
export function maxConcurrency(calls: readonly { startedAt: number; endedAt: number }[]): number {
  const edges = calls.flatMap((c) => [
    { t: c.startedAt, d: 1 },
    { t: c.endedAt, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const e of edges) {
    now += e.d;
    max = Math.max(max, now);
  }
  return max;
}
