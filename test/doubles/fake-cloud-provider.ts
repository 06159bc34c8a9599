/**
 * TEST DOUBLE: an in-process IaC provider over a pretend cloud, for the engine's own
 * tests. Not a real provider (the real one is src/providers/local). The "cloud" is a
 * map, optionally persisted to a JSON file so separate CLI processes (and crash tests)
 * see the same resources. Latency, failures, crash points and each optional
 * capability are switched on through `initialize` config:
 *
 *   latency_ms: 200                 # per driver call
 *   fail_on: { api: [create] }      # resource name → operations that fail
 *   cloud_file: /tmp/cloud.json     # persist the cloud
 *   force_new_fields: [region]      # config keys whose change needs a replace
 *   id_format: uuid                 # provider ID shape declared by drivers
 *   capabilities: [adoption, upsert, replacer, enumerator, validator, drift_config, finalizer, troubleshooter]
 *   crash: { resource: api, point: after_create }   # SIGKILL the process there
 *   unhealthy: [api]                # health checks of these report "starting" forever
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import {
  type CallOptions,
  type DiffResult,
  type DriftResult,
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  type FieldChange,
  type IaCCapabilityDeclaration,
  type IaCPlan,
  type IaCProvider,
  IDFormatFreeform,
  IDFormatUUID,
  type PlanDiagnostic,
  PlanDiagnosticError,
  type ProviderIDFormat,
  type ProviderSizing,
  type ResourceDriver,
  type ResourceHints,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  type ResourceState,
  type Size,
  SizingMap,
  wrapSentinel,
} from "../../src/contracts/index.js";

export interface CloudRecord {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  tags: string[];
}

/** Every optional capability the fake can switch on. */
export const FAKE_CAPABILITIES = [
  "adoption",
  "upsert",
  "replacer",
  "enumerator",
  "validator",
  "drift_config",
  "finalizer",
  "troubleshooter",
] as const;
export type FakeCapability = (typeof FAKE_CAPABILITIES)[number];

export type FakeOperation = "create" | "read" | "update" | "delete" | "diff" | "replace";

/** One driver or provider call, for assertions. */
export interface FakeCall {
  readonly op: string;
  readonly name: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

export const FAKE_RESOURCE_TYPES = ["infra.vpc", "infra.database", "infra.compute", "infra.app"];

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    // Removed when the sleep ends, so calls sharing one signal do not pile up listeners.
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  );

export class FakeCloudProvider implements IaCProvider {
  latencyMs = 0;
  failOn: Record<string, FakeOperation[]> = {};
  forceNewFields: string[] = ["region", "engine"];
  idFormat: ProviderIDFormat = IDFormatUUID;
  capabilitySet = new Set<FakeCapability>();
  crash: { resource: string; point: string } | undefined;
  cloudFile: string | undefined;
  unhealthy = new Set<string>();
  finalized: string[] = [];
  readonly calls: FakeCall[] = [];
  #cloud = new Map<string, CloudRecord>();

  name() {
    return "fakecloud";
  }
  version() {
    return "0.0.0-test";
  }

  async initialize(config: Record<string, unknown>): Promise<void> {
    if (typeof config.latency_ms === "number") this.latencyMs = config.latency_ms;
    if (config.fail_on && typeof config.fail_on === "object") {
      this.failOn = config.fail_on as Record<string, FakeOperation[]>;
    }
    if (Array.isArray(config.force_new_fields))
      this.forceNewFields = config.force_new_fields as string[];
    if (config.id_format === "freeform") this.idFormat = IDFormatFreeform;
    if (Array.isArray(config.capabilities)) {
      this.capabilitySet = new Set(config.capabilities as FakeCapability[]);
    }
    if (config.crash && typeof config.crash === "object") {
      this.crash = config.crash as { resource: string; point: string };
    }
    if (Array.isArray(config.unhealthy)) this.unhealthy = new Set(config.unhealthy as string[]);
    if (typeof config.cloud_file === "string") {
      this.cloudFile = config.cloud_file;
      if (existsSync(this.cloudFile)) {
        const records = JSON.parse(readFileSync(this.cloudFile, "utf8")) as CloudRecord[];
        this.#cloud = new Map(records.map((r) => [r.id, r]));
      }
    }
    this.#hideDisabledCapabilities();
  }

  /** Provider-level optional interfaces exist only when switched on, so type guards see the truth. */
  #hideDisabledCapabilities(): void {
    const optional: Record<string, FakeCapability> = {
      enumerateByTag: "enumerator",
      validatePlan: "validator",
      detectDriftWithSpecs: "drift_config",
      finalizeApply: "finalizer",
    };
    const self = this as unknown as Record<string, unknown>;
    for (const [method, cap] of Object.entries(optional)) {
      if (!this.capabilitySet.has(cap)) self[method] = undefined;
    }
  }

  capabilities(): IaCCapabilityDeclaration[] {
    return FAKE_RESOURCE_TYPES.map((resource_type) => ({
      resource_type,
      tier: 1,
      operations: ["create", "read", "update", "delete", "scale"],
    }));
  }

  /** The pretend cloud's records, for assertions. */
  records(): CloudRecord[] {
    return [...this.#cloud.values()];
  }

  /** Put a record in the cloud behind the engine's back (drift, adoption, import tests). */
  seed(record: Omit<CloudRecord, "id" | "tags"> & { id?: string; tags?: string[] }): CloudRecord {
    const full = {
      id: record.id ?? randomUUID(),
      tags: record.tags ?? [],
      ...record,
    } as CloudRecord;
    this.#cloud.set(full.id, full);
    this.#persist();
    return full;
  }

  /** Remove a record behind the engine's back (ghost tests). */
  vanish(name: string): void {
    for (const [id, r] of this.#cloud) if (r.name === name) this.#cloud.delete(id);
    this.#persist();
  }

  async plan(): Promise<IaCPlan> {
    throw new Error("fakecloud: plan is computed by the engine through driver.diff");
  }

  async destroy(resources: readonly ResourceRef[]) {
    const destroyed: string[] = [];
    for (const ref of resources) {
      await this.resourceDriver(ref.type).delete(ref);
      destroyed.push(ref.name);
    }
    return { destroyed };
  }

  async status(resources: readonly ResourceRef[]) {
    return resources.map((ref) => {
      const r = this.#find(ref);
      return {
        name: ref.name,
        type: ref.type,
        provider_id: r?.id ?? ref.provider_id ?? "",
        status: r ? "running" : "missing",
        outputs: r ? this.#outputs(r).outputs : {},
      };
    });
  }

  async detectDrift(resources: readonly ResourceRef[]): Promise<DriftResult[]> {
    return resources.map((ref) => {
      const present = this.#find(ref) !== undefined;
      return {
        name: ref.name,
        type: ref.type,
        drifted: !present,
        class: present ? "in-sync" : "ghost",
      };
    });
  }

  async import(cloudID: string, resourceType: string): Promise<ResourceState> {
    const r = this.#cloud.get(cloudID);
    if (!r || r.type !== resourceType)
      throw wrapSentinel(ErrResourceNotFound, `fakecloud: ${resourceType} ${cloudID}`);
    const now = new Date().toISOString();
    return {
      id: r.name,
      name: r.name,
      type: r.type,
      provider: "fakecloud",
      provider_id: r.id,
      config_hash: "",
      applied_config: r.config,
      applied_config_source: "adoption",
      outputs: this.#outputs(r).outputs,
      dependencies: [],
      created_at: now,
      updated_at: now,
    };
  }

  async resolveSizing(_type: string, size: Size, hints?: ResourceHints): Promise<ProviderSizing> {
    const d = SizingMap[size];
    return {
      instance_type: `fake-${size}`,
      specs: { cpu: hints?.cpu || d.cpu, memory: hints?.memory || d.memory },
    };
  }

  resourceDriver(resourceType: string): ResourceDriver {
    if (!resourceType.startsWith("infra.")) {
      throw wrapSentinel(
        ErrResourceNotFound,
        `fakecloud: no driver for resource type "${resourceType}"`,
      );
    }
    return new FakeDriver(this, resourceType);
  }

  supportedCanonicalKeys(): string[] {
    return ["name", "region", "size", "env_vars"];
  }

  async bootstrapStateBackend() {
    return { bucket: "fake-state", env_vars: { WFCTL_STATE_BUCKET: "fake-state" } };
  }

  async close(): Promise<void> {}

  // Optional capabilities, present only when switched on (see `withCapabilities`).
  async enumerateByTag(tag: string): Promise<ResourceRef[]> {
    return this.records()
      .filter((r) => r.tags.includes(tag))
      .map((r) => ({ name: r.name, type: r.type, provider_id: r.id }));
  }

  async validatePlan(plan: IaCPlan): Promise<PlanDiagnostic[]> {
    const names = new Set(plan.actions.map((a) => a.resource.name));
    return plan.actions.flatMap((a) => {
      const ref = a.resource.config.vpc_ref;
      return typeof ref === "string" &&
        !names.has(ref) &&
        !this.records().some((r) => r.name === ref)
        ? [
            {
              severity: PlanDiagnosticError,
              resource: a.resource.name,
              field: "vpc_ref",
              message: `vpc_ref "${ref}" names no vpc`,
            },
          ]
        : [];
    });
  }

  async detectDriftWithSpecs(
    resources: readonly ResourceRef[],
    specs: Readonly<Record<string, ResourceSpec>>,
  ): Promise<DriftResult[]> {
    return resources.map((ref) => {
      const r = this.#find(ref);
      if (!r) return { name: ref.name, type: ref.type, drifted: true, class: "ghost" };
      const applied = specs[ref.name]?.config;
      const fields = applied ? changedKeys(applied, r.config) : [];
      return fields.length > 0
        ? {
            name: ref.name,
            type: ref.type,
            drifted: true,
            class: "config",
            fields,
            expected: applied,
            actual: r.config,
          }
        : { name: ref.name, type: ref.type, drifted: false, class: "in-sync" };
    });
  }

  async finalizeApply(planId: string): Promise<void> {
    this.finalized.push(planId);
  }

  // --- internals shared with the driver ---

  async call<T>(
    op: FakeOperation,
    name: string,
    opts: CallOptions | undefined,
    fn: () => T,
  ): Promise<T> {
    const startedAt = performance.now();
    await sleep(this.latencyMs, opts?.signal);
    if (this.failOn[name]?.includes(op)) {
      this.calls.push({ op, name, startedAt, endedAt: performance.now() });
      throw new Error(`fakecloud: injected ${op} failure for "${name}"`);
    }
    const result = fn();
    this.calls.push({ op, name, startedAt, endedAt: performance.now() });
    if (this.crash?.resource === name && this.crash.point === `after_${op}`) {
      process.kill(process.pid, "SIGKILL");
    }
    return result;
  }

  insert(spec: ResourceSpec): CloudRecord {
    if (this.records().some((r) => r.name === spec.name && r.type === spec.type)) {
      throw wrapSentinel(ErrResourceAlreadyExists, `fakecloud: ${spec.type} "${spec.name}"`);
    }
    const tags = Array.isArray(spec.config.tags) ? (spec.config.tags as string[]) : [];
    const id =
      this.idFormat === IDFormatUUID
        ? randomUUID()
        : `fake-${spec.name}-${randomUUID().slice(0, 8)}`;
    return this.put({ id, name: spec.name, type: spec.type, config: spec.config, tags });
  }

  put(record: CloudRecord): CloudRecord {
    this.#cloud.set(record.id, record);
    this.#persist();
    return record;
  }

  remove(id: string): void {
    this.#cloud.delete(id);
    this.#persist();
  }

  find(ref: ResourceRef): CloudRecord | undefined {
    return this.#find(ref);
  }

  output(r: CloudRecord): ResourceOutput {
    return this.#outputs(r);
  }

  #find(ref: ResourceRef): CloudRecord | undefined {
    if (ref.provider_id) return this.#cloud.get(ref.provider_id);
    return this.records().find((r) => r.name === ref.name && r.type === ref.type);
  }

  #outputs(r: CloudRecord): ResourceOutput {
    return {
      name: r.name,
      type: r.type,
      provider_id: r.id,
      outputs: {
        id: r.id,
        endpoint: `https://${r.name}.fake.test`,
        password: `pw-${r.id.slice(0, 8)}`,
        ...(r.config.region !== undefined ? { region: r.config.region } : {}),
      },
      sensitive: { password: true },
      status: "running",
    };
  }

  #persist(): void {
    if (!this.cloudFile) return;
    const tmp = `${this.cloudFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.records(), null, 2));
    renameSync(tmp, this.cloudFile);
  }
}

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => stable(a[k]) !== stable(b[k])).sort();
}

class FakeDriver implements ResourceDriver {
  constructor(
    private readonly cloud: FakeCloudProvider,
    private readonly type: string,
  ) {
    // Optional interfaces exist on the driver only when switched on, so type guards see the truth.
    const caps = cloud.capabilitySet;
    const self = this as unknown as Record<string, unknown>;
    if (caps.has("upsert")) self.supportsUpsert = async () => true;
    if (caps.has("adoption")) {
      self.adoptionRef = async (spec: ResourceSpec) => {
        const r = cloud.find({ name: spec.name, type: spec.type });
        return r ? { name: r.name, type: r.type, provider_id: r.id } : undefined;
      };
    }
    if (caps.has("replacer")) {
      self.replace = (oldRef: ResourceRef, spec: ResourceSpec, opts?: CallOptions) =>
        cloud.call("replace", spec.name, opts, () => {
          const old = cloud.find(oldRef);
          if (old) cloud.remove(old.id);
          return cloud.output(cloud.insert(spec));
        });
    }
    if (caps.has("troubleshooter")) {
      self.troubleshoot = async (ref: ResourceRef, failureMsg: string) => [
        {
          id: `deploy-${ref.name}`,
          phase: "ERROR",
          cause: `fakecloud saw: ${failureMsg}`,
          at: new Date().toISOString(),
        },
      ];
    }
    self.providerIDFormat = async () => cloud.idFormat;
  }

  create(spec: ResourceSpec, opts?: CallOptions) {
    return this.cloud.call("create", spec.name, opts, () =>
      this.cloud.output(this.cloud.insert(spec)),
    );
  }

  read(ref: ResourceRef, opts?: CallOptions) {
    return this.cloud.call("read", ref.name, opts, () => this.cloud.output(this.#must(ref)));
  }

  update(ref: ResourceRef, spec: ResourceSpec, opts?: CallOptions) {
    return this.cloud.call("update", spec.name, opts, () => {
      const r = this.#must(ref);
      return this.cloud.output(this.cloud.put({ ...r, name: spec.name, config: spec.config }));
    });
  }

  delete(ref: ResourceRef, opts?: CallOptions) {
    return this.cloud.call("delete", ref.name, opts, () => {
      this.cloud.remove(this.#must(ref).id);
    });
  }

  diff(
    desired: ResourceSpec,
    current: ResourceOutput | undefined,
    opts?: CallOptions,
  ): Promise<DiffResult> {
    return this.cloud.call("diff", desired.name, opts, () => {
      const r = current
        ? this.cloud.find({ name: current.name, type: this.type, provider_id: current.provider_id })
        : undefined;
      const before = r?.config ?? {};
      const changes: FieldChange[] = changedKeys(desired.config, before).map((path) => ({
        path,
        old: before[path] ?? null,
        new: desired.config[path] ?? null,
        force_new: this.cloud.forceNewFields.includes(path),
      }));
      return {
        needs_update: changes.length > 0,
        needs_replace: changes.some((c) => c.force_new),
        changes,
      };
    });
  }

  async healthCheck(ref: ResourceRef) {
    if (this.cloud.unhealthy.has(ref.name)) return { healthy: false, message: "starting" };
    return this.cloud.find(ref) ? { healthy: true } : { healthy: false, message: "not found" };
  }

  scale(ref: ResourceRef, replicas: number, opts?: CallOptions) {
    return this.cloud.call("update", ref.name, opts, () => {
      const r = this.#must(ref);
      return this.cloud.output(
        this.cloud.put({ ...r, config: { ...r.config, instance_count: replicas } }),
      );
    });
  }

  async sensitiveKeys(): Promise<string[]> {
    return ["password"];
  }

  #must(ref: ResourceRef): CloudRecord {
    const r = this.cloud.find(ref);
    if (!r) throw wrapSentinel(ErrResourceNotFound, `fakecloud: ${ref.type} "${ref.name}"`);
    return r;
  }
}

/** Factory in the shape the provider catalog loads from a module path. */
export default function createFakeCloudProvider(): IaCProvider {
  return new FakeCloudProvider();
}
