// The reference IaC provider plugin: a "cloud" of JSON files, one per resource, in the
// folder `root` (default: .filecloud beside the config). It manages `infra.vpc`
// resources (`region`, `ip_range`, `tags`); a region change replaces one. Run it with
// `wfctl plugin conformance examples/plugins/filecloud --live`; copy it to start a
// provider of your own: the contract is docs/plugins.md.
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  type DiffResult,
  type DriftResult,
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  ErrValidation,
  type FieldChange,
  type IaCCapabilityDeclaration,
  type IaCPlan,
  type IaCProvider,
  type ProviderSizing,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  type ResourceState,
  type Size,
  SizingMap,
  wrapSentinel,
} from "wfctl/contracts";
import { serveProvider } from "wfctl/plugins";

const VPC = "infra.vpc";
/** Changing these replaces the resource. */
const FORCE_NEW = ["region"];

interface StoredResource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly config: Record<string, unknown>;
}

class FileCloud {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  all(): StoredResource[] {
    return readdirSync(this.root)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(path.join(this.root, f), "utf8")) as StoredResource);
  }

  /** By provider ID, else by name and type (so a create that hits "exists" can recover). */
  find(ref: ResourceRef): StoredResource | undefined {
    return this.all().find((r) =>
      ref.provider_id ? r.id === ref.provider_id : r.name === ref.name && r.type === ref.type,
    );
  }

  must(ref: ResourceRef): StoredResource {
    const found = this.find(ref);
    if (!found) throw wrapSentinel(ErrResourceNotFound, `filecloud: ${ref.type} "${ref.name}"`);
    return found;
  }

  put(resource: StoredResource): StoredResource {
    writeFileSync(path.join(this.root, `${resource.id}.json`), JSON.stringify(resource));
    return resource;
  }

  remove(id: string): void {
    rmSync(path.join(this.root, `${id}.json`), { force: true });
  }
}

function output(r: StoredResource): ResourceOutput {
  return {
    name: r.name,
    type: r.type,
    provider_id: r.id,
    outputs: { ...r.config, id: r.id },
    status: "running",
  };
}

class VpcDriver implements ResourceDriver {
  constructor(private readonly cloud: FileCloud) {}

  async create(spec: ResourceSpec): Promise<ResourceOutput> {
    if (this.cloud.find({ name: spec.name, type: spec.type })) {
      throw wrapSentinel(ErrResourceAlreadyExists, `filecloud: ${spec.type} "${spec.name}"`);
    }
    return output(
      this.cloud.put({ id: randomUUID(), name: spec.name, type: spec.type, config: spec.config }),
    );
  }

  async read(ref: ResourceRef): Promise<ResourceOutput> {
    return output(this.cloud.must(ref));
  }

  async update(ref: ResourceRef, spec: ResourceSpec): Promise<ResourceOutput> {
    const current = this.cloud.must(ref);
    return output(this.cloud.put({ ...current, config: spec.config }));
  }

  async delete(ref: ResourceRef): Promise<void> {
    this.cloud.remove(this.cloud.must(ref).id);
  }

  async diff(desired: ResourceSpec, current: ResourceOutput | undefined): Promise<DiffResult> {
    const before = current ? (this.cloud.find(current)?.config ?? {}) : {};
    const keys = new Set([...Object.keys(desired.config), ...Object.keys(before)]);
    const changes: FieldChange[] = [...keys]
      .filter((key) => JSON.stringify(desired.config[key]) !== JSON.stringify(before[key]))
      .map((key) => ({
        path: key,
        old: before[key] ?? null,
        new: desired.config[key] ?? null,
        force_new: FORCE_NEW.includes(key),
      }));
    return {
      needs_update: changes.length > 0,
      needs_replace: changes.some((c) => c.force_new),
      changes,
    };
  }

  async healthCheck(ref: ResourceRef) {
    return this.cloud.find(ref) ? { healthy: true } : { healthy: false, message: "not found" };
  }

  async scale(): Promise<ResourceOutput> {
    throw wrapSentinel(ErrValidation, "filecloud: a vpc cannot be scaled");
  }

  async sensitiveKeys(): Promise<string[]> {
    return [];
  }

  /** Reads find a vpc by name alone, so a create that hits "exists" recovers. */
  async supportsUpsert(): Promise<boolean> {
    return true;
  }
}

class FileCloudProvider implements IaCProvider {
  #cloud: FileCloud | undefined;
  #driver: VpcDriver | undefined;

  name() {
    return "filecloud";
  }

  version() {
    return "1.0.0";
  }

  async initialize(config: Record<string, unknown>): Promise<void> {
    const base = typeof config._config_dir === "string" ? config._config_dir : process.cwd();
    const root =
      typeof config.root === "string"
        ? path.resolve(base, config.root)
        : path.join(base, ".filecloud");
    this.#cloud = new FileCloud(root);
    this.#driver = new VpcDriver(this.#cloud);
  }

  capabilities(): IaCCapabilityDeclaration[] {
    return [{ resource_type: VPC, tier: 1, operations: ["create", "read", "update", "delete"] }];
  }

  supportedCanonicalKeys(): string[] {
    return ["name", "region"];
  }

  resourceDriver(resourceType: string): ResourceDriver {
    if (resourceType !== VPC || !this.#driver) {
      throw wrapSentinel(ErrValidation, `filecloud: no driver for ${resourceType}`);
    }
    return this.#driver;
  }

  async plan(): Promise<IaCPlan> {
    throw new Error("filecloud: plans are computed by wfctl through the driver's diff");
  }

  async resolveSizing(_type: string, size: Size): Promise<ProviderSizing> {
    const d = SizingMap[size];
    return { instance_type: `file-${size}`, specs: { cpu: d.cpu, memory: d.memory } };
  }

  async status(resources: readonly ResourceRef[]) {
    return resources.map((ref) => {
      const r = this.#cloud?.find(ref);
      return {
        name: ref.name,
        type: ref.type,
        provider_id: r?.id ?? ref.provider_id ?? "",
        status: r ? "running" : "missing",
        outputs: r ? output(r).outputs : {},
      };
    });
  }

  async detectDrift(resources: readonly ResourceRef[]): Promise<DriftResult[]> {
    return resources.map((ref) => {
      const present = this.#cloud?.find(ref) !== undefined;
      return {
        name: ref.name,
        type: ref.type,
        drifted: !present,
        class: present ? "in-sync" : "ghost",
      };
    });
  }

  async import(cloudID: string, resourceType: string): Promise<ResourceState> {
    const r = this.#cloud?.all().find((x) => x.id === cloudID && x.type === resourceType);
    if (!r) throw wrapSentinel(ErrResourceNotFound, `filecloud: ${resourceType} ${cloudID}`);
    const now = new Date().toISOString();
    return {
      id: r.name,
      name: r.name,
      type: r.type,
      provider: "filecloud",
      provider_id: r.id,
      config_hash: "",
      applied_config: r.config,
      applied_config_source: "adoption",
      outputs: output(r).outputs,
      dependencies: [],
      created_at: now,
      updated_at: now,
    };
  }

  async destroy(resources: readonly ResourceRef[]) {
    const destroyed: string[] = [];
    for (const ref of resources) {
      await this.#driver?.delete(ref);
      destroyed.push(ref.name);
    }
    return { destroyed, errors: [] };
  }

  async bootstrapStateBackend() {
    return undefined;
  }

  async close(): Promise<void> {}
}

serveProvider(new FileCloudProvider());
