import path from "node:path";
import {
  type CallOptions,
  type CanonicalServiceConfig,
  ErrValidation,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  wrapSentinel,
} from "../../contracts/index.js";
import { runtimeChanged } from "./config-compare.js";
import type { LocalContext } from "./local-context.js";
import { serviceSupervisorSpec } from "./service-spec.js";
import { SupervisedDriver } from "./supervised-driver.js";
import { liveSupervisorPid, logDir, readStatus } from "./supervisor-client.js";
import type { ResourceRecord } from "./workdir.js";

export const SERVICE_TYPE = "infra.container_service";

/**
 * `infra.container_service` on this machine: `build_command`, then `instance_count`
 * replicas of `run_command` (plus workers) under a detached supervisor that balances
 * `http_port` over healthy replicas.
 */
export class ServiceDriver extends SupervisedDriver implements ResourceDriver {
  constructor(ctx: LocalContext) {
    super(ctx, SERVICE_TYPE);
  }

  protected async output(record: ResourceRecord): Promise<ResourceOutput> {
    const dir = this.dir(record.name);
    const config = record.config as CanonicalServiceConfig;
    const status = await readStatus(dir);
    return {
      name: record.name,
      type: record.type,
      provider_id: record.id,
      outputs: {
        ...(config.http_port !== undefined
          ? { url: `http://127.0.0.1:${config.http_port}`, port: config.http_port }
          : {}),
        instances: config.instance_count ?? 1,
        supervisor_pid: await liveSupervisorPid(dir),
        log_dir: logDir(dir),
      },
      status: status?.ready ? "running" : "degraded",
    };
  }

  async create(spec: ResourceSpec, opts: CallOptions = {}): Promise<ResourceOutput> {
    const config = checkConfig(spec);
    await this.checkHttpPort(spec.name, config.http_port);
    const record = await this.claim(spec);
    try {
      await this.#deploy(record, config, 1, opts.signal);
    } catch (err) {
      // Nothing half-made stays behind: the error carries the logs' last lines.
      await this.removeLeftovers(record);
      throw err;
    }
    return this.output(record);
  }

  async update(
    ref: ResourceRef,
    spec: ResourceSpec,
    opts: CallOptions = {},
  ): Promise<ResourceOutput> {
    const config = checkConfig(spec);
    const record = await this.locate({ ...ref, name: ref.name || spec.name });
    if (!record) return this.create(spec, opts);
    const applied = record.config as CanonicalServiceConfig;
    if (config.http_port !== applied.http_port)
      await this.checkHttpPort(spec.name, config.http_port);
    const live = await this.isLive(record);
    const updated = await this.rewrite(record, spec.config);
    if (live && !runtimeChanged(spec.config, record.config)) return this.output(updated);
    await this.#deploy(updated, config, await this.nextGeneration(record.name), opts.signal);
    return this.output(updated);
  }

  async scale(ref: ResourceRef, replicas: number, opts: CallOptions = {}): Promise<ResourceOutput> {
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw wrapSentinel(ErrValidation, `${ref.name}: cannot scale to ${replicas} replicas`);
    }
    const record = await this.liveRecord(ref);
    const config = { ...record.config, instance_count: replicas };
    return this.update(ref, { name: record.name, type: this.type, config }, opts);
  }

  async sensitiveKeys(): Promise<string[]> {
    return [];
  }

  /** Build, then run the replicas of `generation` (a rolling update when they run). */
  async #deploy(
    record: ResourceRecord,
    config: CanonicalServiceConfig,
    generation: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const cwd = path.resolve(this.ctx.configDir, config.source_dir ?? ".");
    await this.build(record.name, config.build_command, cwd, config.env_vars ?? {}, signal);
    const spec = serviceSupervisorSpec(record.name, config, this.ctx.configDir, generation);
    await this.run(record.name, spec, signal);
  }
}

function checkConfig(spec: ResourceSpec): CanonicalServiceConfig {
  const config = spec.config as CanonicalServiceConfig;
  if (typeof config.run_command !== "string" || config.run_command.trim() === "") {
    throw wrapSentinel(
      ErrValidation,
      `${spec.name}: the local provider runs a service from run_command (in source_dir); set run_command`,
    );
  }
  for (const worker of config.workers ?? []) {
    if (!worker.run_command) {
      throw wrapSentinel(
        ErrValidation,
        `${spec.name}: worker "${worker.name}" needs a run_command`,
      );
    }
  }
  return config;
}
