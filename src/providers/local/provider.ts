import path from "node:path";
import {
  type CallOptions,
  canonicalKeys,
  type DestroyResult,
  type DriftConfigDetector,
  type DriftResult,
  type Enumerator,
  type EnumeratorAll,
  ErrResourceNotFound,
  ErrValidation,
  errorIs,
  type IaCCapabilityDeclaration,
  type IaCPlan,
  type IaCProvider,
  type MigrationRepairRequest,
  type MigrationRepairResult,
  type PlanDiagnostic,
  PlanDiagnosticError,
  PlanDiagnosticWarning,
  type ProviderMigrationRepairer,
  type ProviderSizing,
  type ProviderValidator,
  type ResourceDriver,
  type ResourceHints,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  type ResourceState,
  type ResourceStatus,
  resolveSizing,
  type Size,
  wrapSentinel,
} from "../../contracts/index.js";
import { configChanges } from "./config-compare.js";
import { DATABASE_TYPE, DatabaseDriver } from "./database-driver.js";
import type { LocalContext } from "./local-context.js";
import type { LocalDriver } from "./local-driver.js";
import { repairDirtyMigration } from "./migration-repair.js";
import { NOT_APPLIED_KEYS, notAppliedKeys } from "./not-applied-keys.js";
import { SERVICE_TYPE, ServiceDriver } from "./service-driver.js";
import { STATIC_SITE_TYPE, StaticSiteDriver } from "./static-site-driver.js";
import { LocalWorkdir } from "./workdir.js";

export const LOCAL_PROVIDER_NAME = "local";
export const LOCAL_PROVIDER_VERSION = "0.1.0";
export const DEFAULT_WORKDIR = ".wfctl/local";
const DEFAULT_READY_TIMEOUT_MS = 60_000;

type LocalResourceDriver = LocalDriver & ResourceDriver;

/**
 * The built-in `local` provider: real services, databases and sites on this machine,
 * each in its own folder under `workdir` and, when it runs processes, under its own
 * detached supervisor, so everything outlives the `wfctl` process that made it.
 *
 * Config (the iac.provider module's): `workdir` (default `.wfctl/local`, relative to
 * the config file), `ready_timeout_seconds` (default 60), `delete_data` (default
 * false: deleting a database keeps its data).
 */
export class LocalProvider
  implements
    IaCProvider,
    Enumerator,
    EnumeratorAll,
    DriftConfigDetector,
    ProviderValidator,
    ProviderMigrationRepairer
{
  #ctx: LocalContext | undefined;
  #database: DatabaseDriver | undefined;
  #drivers = new Map<string, LocalResourceDriver>();

  name(): string {
    return LOCAL_PROVIDER_NAME;
  }

  version(): string {
    return LOCAL_PROVIDER_VERSION;
  }

  async initialize(config: Record<string, unknown>): Promise<void> {
    const configDir = typeof config._config_dir === "string" ? config._config_dir : process.cwd();
    const workdir = config.workdir ?? DEFAULT_WORKDIR;
    if (typeof workdir !== "string" || workdir === "") {
      throw wrapSentinel(ErrValidation, "local provider: workdir must be a folder path");
    }
    const timeout = config.ready_timeout_seconds;
    if (timeout !== undefined && (typeof timeout !== "number" || timeout <= 0)) {
      throw wrapSentinel(
        ErrValidation,
        "local provider: ready_timeout_seconds must be a positive number",
      );
    }
    const ctx: LocalContext = {
      workdir: new LocalWorkdir(path.resolve(configDir, workdir)),
      configDir,
      readyTimeoutMs: typeof timeout === "number" ? timeout * 1000 : DEFAULT_READY_TIMEOUT_MS,
    };
    this.#ctx = ctx;
    this.#database = new DatabaseDriver(ctx, config.delete_data === true);
    this.#drivers = new Map<string, LocalResourceDriver>([
      [SERVICE_TYPE, new ServiceDriver(ctx)],
      [DATABASE_TYPE, this.#database],
      [STATIC_SITE_TYPE, new StaticSiteDriver(ctx)],
    ]);
  }

  /** The folder resources live in (after initialize). */
  workdir(): LocalWorkdir {
    if (!this.#ctx) throw new Error("local provider: not initialized");
    return this.#ctx.workdir;
  }

  capabilities(): IaCCapabilityDeclaration[] {
    return [
      {
        resource_type: SERVICE_TYPE,
        tier: 3,
        operations: ["create", "read", "update", "delete", "scale"],
      },
      { resource_type: DATABASE_TYPE, tier: 2, operations: ["create", "read", "update", "delete"] },
      {
        resource_type: STATIC_SITE_TYPE,
        tier: 3,
        operations: ["create", "read", "update", "delete"],
      },
    ];
  }

  resourceDriver(resourceType: string): LocalResourceDriver {
    const driver = this.#drivers.get(resourceType);
    if (!driver) {
      throw wrapSentinel(
        ErrValidation,
        `the local provider has no driver for ${resourceType} (it runs ${[...this.#drivers.keys()].join(", ") || "nothing before initialize"})`,
      );
    }
    return driver;
  }

  /** The canonical keys it applies: all but those plan warns about (see not-applied-keys). */
  supportedCanonicalKeys(): string[] {
    const notApplied = new Set(NOT_APPLIED_KEYS[SERVICE_TYPE]);
    return canonicalKeys().filter((key) => !notApplied.has(key));
  }

  /** Informational only: everything shares this machine (plan warns that size is not applied). */
  async resolveSizing(
    _resourceType: string,
    size: Size,
    hints?: ResourceHints,
  ): Promise<ProviderSizing> {
    return { instance_type: `local-${size}`, specs: { ...resolveSizing(size, hints) } };
  }

  async status(
    resources: readonly ResourceRef[],
    opts: CallOptions = {},
  ): Promise<ResourceStatus[]> {
    return Promise.all(
      resources.map(async (ref) => {
        const live = await this.#read(ref, opts);
        return {
          name: ref.name,
          type: ref.type,
          provider_id: live?.provider_id ?? ref.provider_id ?? "",
          status: live?.status ?? "missing",
          outputs: live?.outputs ?? {},
        };
      }),
    );
  }

  async detectDrift(
    resources: readonly ResourceRef[],
    opts: CallOptions = {},
  ): Promise<DriftResult[]> {
    return this.detectDriftWithSpecs(resources, {}, opts);
  }

  async detectDriftWithSpecs(
    resources: readonly ResourceRef[],
    specs: Readonly<Record<string, ResourceSpec>>,
    opts: CallOptions = {},
  ): Promise<DriftResult[]> {
    return Promise.all(
      resources.map(async (ref): Promise<DriftResult> => {
        const base = { name: ref.name, type: ref.type };
        const live = await this.#read(ref, opts);
        if (!live) return { ...base, drifted: true, class: "ghost" };
        const spec = specs[ref.name];
        const applied = spec ? await this.resourceDriver(ref.type).appliedConfig(ref) : undefined;
        const fields =
          spec && applied ? configChanges(spec.config, applied, new Set()).map((c) => c.path) : [];
        return fields.length > 0
          ? { ...base, drifted: true, class: "config", fields }
          : { ...base, drifted: false, class: "in-sync" };
      }),
    );
  }

  async import(
    cloudID: string,
    resourceType: string,
    opts: CallOptions = {},
  ): Promise<ResourceState> {
    const record = await this.workdir().recordById(resourceType, cloudID);
    if (!record) {
      throw wrapSentinel(
        ErrResourceNotFound,
        `local ${resourceType} with ID ${cloudID} does not exist`,
      );
    }
    const live = await this.resourceDriver(resourceType).read(
      { name: record.name, type: record.type, provider_id: record.id },
      opts,
    );
    const now = new Date().toISOString();
    return {
      id: record.name,
      name: record.name,
      type: record.type,
      provider: LOCAL_PROVIDER_NAME,
      provider_id: record.id,
      config_hash: "",
      applied_config: record.config,
      applied_config_source: "adoption",
      outputs: live.outputs,
      dependencies: [],
      created_at: record.created_at,
      updated_at: now,
    };
  }

  async enumerateByTag(tag: string): Promise<ResourceRef[]> {
    const records = await this.workdir().records();
    return records
      .filter((r) => this.#drivers.has(r.type) && r.tags.includes(tag))
      .map((r) => ({ name: r.name, type: r.type, provider_id: r.id }));
  }

  async enumerateAll(resourceType: string, opts: CallOptions = {}): Promise<ResourceOutput[]> {
    const records = await this.workdir().records(resourceType);
    const outputs = await Promise.all(
      records.map((r) => this.#read({ name: r.name, type: r.type, provider_id: r.id }, opts)),
    );
    return outputs.filter((o): o is ResourceOutput => o !== undefined);
  }

  async validatePlan(plan: IaCPlan): Promise<PlanDiagnostic[]> {
    const diagnostics: PlanDiagnostic[] = [];
    const httpPorts = new Map<number, string>();
    for (const action of plan.actions) {
      if (action.action === "delete") continue;
      const { name, type, config } = action.resource;
      for (const field of notAppliedKeys(type, config)) {
        diagnostics.push({
          severity: PlanDiagnosticWarning,
          resource: name,
          field,
          message: `${field} is not applied by the local provider`,
        });
      }
      const port = config.http_port;
      if (typeof port === "number") {
        const other = httpPorts.get(port);
        if (other !== undefined) {
          diagnostics.push({
            severity: PlanDiagnosticError,
            resource: name,
            field: "http_port",
            message: `http_port ${port} is also the http_port of "${other}"; give each resource its own port`,
          });
        } else httpPorts.set(port, name);
      }
    }
    return diagnostics;
  }

  /** Runs `wfctl migrate repair` as a job of the app service against the database resource. */
  async repairDirtyMigration(
    req: MigrationRepairRequest,
    opts: CallOptions = {},
  ): Promise<MigrationRepairResult> {
    if (!this.#ctx || !this.#database) throw new Error("local provider: not initialized");
    return repairDirtyMigration(this.#ctx, this.#database, req, opts);
  }

  /** The state backends wfctl supports are its own, created on first use: nothing to bootstrap. */
  async bootstrapStateBackend(): Promise<undefined> {
    return undefined;
  }

  async plan(): Promise<IaCPlan> {
    throw new Error("local provider: plans are computed by wfctl through the drivers' diff");
  }

  async destroy(resources: readonly ResourceRef[]): Promise<DestroyResult> {
    const destroyed: string[] = [];
    for (const ref of resources) {
      await this.resourceDriver(ref.type).delete(ref);
      destroyed.push(ref.name);
    }
    return { destroyed, errors: [] };
  }

  async close(): Promise<void> {}

  /** The live resource, or undefined when it is gone. */
  async #read(ref: ResourceRef, opts: CallOptions): Promise<ResourceOutput | undefined> {
    try {
      return await this.resourceDriver(ref.type).read(ref, opts);
    } catch (err) {
      if (errorIs(err, ErrResourceNotFound)) return undefined;
      throw err;
    }
  }
}
