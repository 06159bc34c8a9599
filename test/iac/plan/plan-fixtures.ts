/** Builders for plan tests: desired resources, state "as applied" in a FakeCloudProvider. */
import type { IaCProvider, ResourceState, Size } from "../../../src/contracts/index.js";
import type { DesiredResource } from "../../../src/iac/desired-resources.js";
import type { IacEvent } from "../../../src/iac/iac-events.js";
import type { PlanInput } from "../../../src/iac/plan/index.js";
import { ProviderSet } from "../../../src/iac/provider-set.js";
import { FakeCloudProvider } from "../../doubles/fake-cloud-provider.js";

export interface DesiredOptions {
  readonly provider?: string;
  readonly type?: string;
  readonly size?: Size;
  readonly dependsOn?: string[];
  readonly adoptExisting?: boolean;
}

export function desired(
  name: string,
  config: Record<string, unknown> = {},
  opts: DesiredOptions = {},
): DesiredResource {
  return {
    spec: {
      name,
      type: opts.type ?? "infra.app",
      config,
      ...(opts.size ? { size: opts.size } : {}),
      ...(opts.dependsOn ? { depends_on: opts.dependsOn } : {}),
    },
    provider: opts.provider ?? "cloud",
    protected: false,
    adoptExisting: opts.adoptExisting ?? false,
    moduleIndex: 0,
  };
}

export async function fakeCloud(config: Record<string, unknown> = {}): Promise<FakeCloudProvider> {
  const cloud = new FakeCloudProvider();
  await cloud.initialize(config);
  return cloud;
}

/**
 * Puts `config` in the cloud under `name` and returns the state entry an apply would
 * have saved for it (config as it reached the driver, i.e. already resolved).
 */
export function applied(
  cloud: FakeCloudProvider,
  name: string,
  config: Record<string, unknown> = {},
  opts: { type?: string; provider?: string; dependencies?: string[]; providerId?: string } = {},
): ResourceState {
  const type = opts.type ?? "infra.app";
  const record = cloud.seed({
    name,
    type,
    config,
    ...(opts.providerId ? { id: opts.providerId } : {}),
  });
  return {
    id: name,
    name,
    type,
    provider: opts.provider ?? "cloud",
    provider_id: record.id,
    config_hash: "",
    applied_config: config,
    applied_config_source: "apply",
    outputs: cloud.output(record).outputs,
    dependencies: opts.dependencies ?? [],
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

/** A PlanInput with quiet defaults; `events` collects what the engine emitted. */
export function planInput(
  providers: Readonly<Record<string, IaCProvider>>,
  parts: Partial<PlanInput> & Pick<PlanInput, "desired">,
): PlanInput & { events: IacEvent[] } {
  const events: IacEvent[] = [];
  return {
    state: [],
    providers: ProviderSet.of(providers),
    environ: {},
    envVarNames: [],
    generator: { wfctl_version: "0.1.0-test" },
    onEvent: (e) => events.push(e),
    ...parts,
    events,
  };
}

/** Action kind per resource name, in plan order. */
export function summary(plan: {
  actions: readonly { action: string; resource: { name: string } }[];
}) {
  return plan.actions.map((a) => `${a.action} ${a.resource.name}`);
}
