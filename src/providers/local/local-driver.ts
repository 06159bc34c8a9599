import {
  type DiffResult,
  ErrResourceAlreadyExists,
  ErrResourceNotFound,
  IDFormatFreeform,
  type ProviderIDFormat,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  wrapSentinel,
} from "../../contracts/index.js";
import { configChanges, recordedConfig } from "./config-compare.js";
import type { LocalContext } from "./local-context.js";
import { newProviderID, type ResourceRecord, tagsOf } from "./workdir.js";

/**
 * What every local driver shares: records in the workdir, lookup by ID or name
 * (upsert and adoption rely on it), and diff against the recorded config.
 */
export abstract class LocalDriver {
  constructor(
    protected readonly ctx: LocalContext,
    readonly type: string,
    /** Config keys whose change needs a new resource. */
    protected readonly forceNew: ReadonlySet<string> = new Set(),
  ) {}

  /** Whether the resource's processes run (a dead one is gone, a ghost in drift). */
  protected abstract isLive(record: ResourceRecord): Promise<boolean>;

  /** The outputs of a live resource. */
  protected abstract output(
    record: ResourceRecord,
    opts: { signal?: AbortSignal },
  ): Promise<ResourceOutput>;

  dir(name: string): string {
    return this.ctx.workdir.dir(this.type, name);
  }

  /** The record `ref` points at: by name, and when it has an ID, only if the ID matches. */
  protected async locate(ref: ResourceRef): Promise<ResourceRecord | undefined> {
    if (ref.name) {
      const byName = await this.ctx.workdir.record(this.type, ref.name);
      if (byName && (!ref.provider_id || byName.id === ref.provider_id)) return byName;
      if (!ref.provider_id) return undefined;
    }
    return ref.provider_id ? this.ctx.workdir.recordById(this.type, ref.provider_id) : undefined;
  }

  /** The live record of `ref`, or ErrResourceNotFound. */
  protected async liveRecord(ref: ResourceRef): Promise<ResourceRecord> {
    const record = await this.locate(ref);
    if (!record || !(await this.isLive(record))) {
      throw wrapSentinel(
        ErrResourceNotFound,
        `local ${this.type} "${ref.name || ref.provider_id}"${record ? " is not running" : " does not exist"}`,
      );
    }
    return record;
  }

  async read(ref: ResourceRef, opts: { signal?: AbortSignal } = {}): Promise<ResourceOutput> {
    return this.output(await this.liveRecord(ref), opts);
  }

  /**
   * The name must be free. A folder whose resource no longer runs (a crash between
   * recording and starting it) is cleared away first; a live one is refused.
   */
  protected async claim(
    spec: ResourceSpec,
    data?: Record<string, unknown>,
  ): Promise<ResourceRecord> {
    const existing = await this.ctx.workdir.record(this.type, spec.name);
    if (existing) {
      if (await this.isLive(existing)) {
        throw wrapSentinel(
          ErrResourceAlreadyExists,
          `local ${this.type} "${spec.name}" already exists (${existing.id})`,
        );
      }
      await this.removeLeftovers(existing);
    }
    const record: ResourceRecord = {
      id: newProviderID(this.type, spec.name),
      name: spec.name,
      type: this.type,
      config: recordedConfig(spec.config),
      tags: tagsOf(spec.config),
      created_at: new Date().toISOString(),
      ...(data ? { data } : {}),
    };
    await this.ctx.workdir.writeRecord(record);
    return record;
  }

  /** The record of the resource `spec` updates (`ref` may lack a name). */
  protected locateFor(ref: ResourceRef, spec: ResourceSpec): Promise<ResourceRecord | undefined> {
    return this.locate({ ...ref, name: ref.name || spec.name });
  }

  /**
   * Runs a just-claimed resource's first deploy; when it fails, nothing half-made
   * stays behind (the error carries what the deploy reported).
   */
  protected async firstDeploy(record: ResourceRecord, deploy: () => Promise<void>): Promise<void> {
    try {
      await deploy();
    } catch (err) {
      await this.removeLeftovers(record);
      throw err;
    }
  }

  /** Clears what a resource that no longer runs left behind, before its name is reused. */
  protected async removeLeftovers(record: ResourceRecord): Promise<void> {
    await this.ctx.workdir.remove(this.type, record.name);
  }

  protected async rewrite(
    record: ResourceRecord,
    config: Record<string, unknown>,
    data?: Record<string, unknown>,
  ): Promise<ResourceRecord> {
    const next: ResourceRecord = {
      ...record,
      config: recordedConfig(config),
      tags: tagsOf(config),
      ...(data ? { data } : {}),
    };
    await this.ctx.workdir.writeRecord(next);
    return next;
  }

  async diff(desired: ResourceSpec, current: ResourceOutput | undefined): Promise<DiffResult> {
    const record = current
      ? await this.locate({
          name: current.name || desired.name,
          type: this.type,
          provider_id: current.provider_id,
        })
      : undefined;
    // Nothing recorded: everything desired is new (or, for a ghost, drift reports it).
    if (current && !record) return { needs_update: false, needs_replace: false, changes: [] };
    const changes = configChanges(desired.config, record?.config ?? {}, this.forceNew);
    return {
      needs_update: changes.length > 0,
      needs_replace: changes.some((c) => c.force_new),
      changes,
    };
  }

  async supportsUpsert(): Promise<boolean> {
    return true;
  }

  async providerIDFormat(): Promise<ProviderIDFormat> {
    return IDFormatFreeform;
  }

  /** The live resource of that name, if any: plan adopts it instead of creating a twin. */
  async adoptionRef(spec: ResourceSpec): Promise<ResourceRef | undefined> {
    const record = await this.ctx.workdir.record(this.type, spec.name);
    if (!record || !(await this.isLive(record))) return undefined;
    return { name: record.name, type: record.type, provider_id: record.id };
  }

  /** The config last applied, for config drift. */
  async appliedConfig(ref: ResourceRef): Promise<Record<string, unknown> | undefined> {
    return (await this.locate(ref))?.config;
  }
}
