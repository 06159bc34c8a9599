import path from "node:path";
import {
  type CallOptions,
  type CanonicalServiceConfig,
  ErrResourceNotFound,
  ErrValidation,
  type ResourceDriver,
  type ResourceOutput,
  type ResourceRef,
  type ResourceSpec,
  wrapSentinel,
} from "../../contracts/index.js";
import { WEB_GROUP } from "./balancer-policy.js";
import { runtimeChanged } from "./config-compare.js";
import { type DeployJobContext, deployStep, runDeployJobs } from "./deploy-jobs.js";
import type { LocalContext } from "./local-context.js";
import { serviceEnv, serviceSupervisorSpec } from "./service-spec.js";
import { SupervisedDriver } from "./supervised-driver.js";
import type { SupervisorSpec } from "./supervisor/supervisor-protocol.js";
import { liveSupervisorPid, logDir, readSpec, readStatus } from "./supervisor-client.js";
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
        // Autoscaling moves the count away from instance_count: report what runs.
        instances: status?.autoscaling?.target ?? config.instance_count ?? 1,
        supervisor_pid: await liveSupervisorPid(dir),
        log_dir: logDir(dir),
      },
      status: status?.ready ? "running" : "degraded",
    };
  }

  async create(spec: ResourceSpec, opts: CallOptions = {}): Promise<ResourceOutput> {
    const config = checkConfig(spec);
    await this.checkHttpPort(spec.name, config.http_port);
    // Built first: a config it refuses (a bad cron...) fails before anything runs.
    const supervisorSpec = serviceSupervisorSpec(spec.name, config, this.ctx.configDir, 1);
    const record = await this.claim(spec);
    const jobs = this.#jobContext(record.name, config, opts.signal);
    await this.firstDeploy(record, () =>
      deployStep(config.jobs, jobs, async () => {
        await this.#build(record.name, config, jobs);
        await runDeployJobs("PRE_DEPLOY", config.jobs, jobs);
        await this.run(record.name, supervisorSpec, jobs.signal);
      }),
    );
    await runDeployJobs("POST_DEPLOY", config.jobs, jobs);
    return this.output(record);
  }

  /**
   * A rolling update. The build and PRE_DEPLOY jobs run first: when one fails the
   * running version is left untouched (spec and record unchanged) and keeps serving.
   */
  async update(
    ref: ResourceRef,
    spec: ResourceSpec,
    opts: CallOptions = {},
  ): Promise<ResourceOutput> {
    const config = checkConfig(spec);
    const record = await this.locateFor(ref, spec);
    if (!record) return this.create(spec, opts);
    const applied = record.config as CanonicalServiceConfig;
    if (config.http_port !== applied.http_port)
      await this.checkHttpPort(spec.name, config.http_port);
    if ((await this.isLive(record)) && !runtimeChanged(spec.config, record.config)) {
      return this.output(await this.rewrite(record, spec.config));
    }
    const generation = await this.nextGeneration(record.name);
    const supervisorSpec = serviceSupervisorSpec(
      record.name,
      config,
      this.ctx.configDir,
      generation,
    );
    const jobs = this.#jobContext(record.name, config, opts.signal);
    await deployStep(config.jobs, jobs, async () => {
      await this.#build(record.name, config, jobs);
      await runDeployJobs("PRE_DEPLOY", config.jobs, jobs);
    });
    const updated = await this.rewrite(record, spec.config);
    await deployStep(config.jobs, jobs, () => this.run(updated.name, supervisorSpec, jobs.signal));
    await runDeployJobs("POST_DEPLOY", config.jobs, jobs);
    return this.output(updated);
  }

  async scale(ref: ResourceRef, replicas: number, opts: CallOptions = {}): Promise<ResourceOutput> {
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw wrapSentinel(ErrValidation, `${ref.name}: cannot scale to ${replicas} replicas`);
    }
    const record = await this.liveRecord(ref);
    const running = await readSpec(this.dir(record.name));
    if (!running) {
      throw wrapSentinel(
        ErrResourceNotFound,
        `${record.name}: its supervisor runs without a spec.json; apply it again to redeploy`,
      );
    }
    // Only the web replicas change: no build, no deploy jobs, and the running env
    // (secrets included, which the record keeps only hashed) carries over.
    const next: SupervisorSpec = {
      ...running,
      generation: running.generation + 1,
      groups: running.groups.map((g) => (g.name === WEB_GROUP ? { ...g, instances: replicas } : g)),
    };
    const updated = await this.rewrite(record, { ...record.config, instance_count: replicas });
    await this.run(record.name, next, opts.signal);
    return this.output(updated);
  }

  async sensitiveKeys(): Promise<string[]> {
    return [];
  }

  #jobContext(
    name: string,
    config: CanonicalServiceConfig,
    signal: AbortSignal | undefined,
  ): DeployJobContext {
    return {
      resource: name,
      cwd: path.resolve(this.ctx.configDir, config.source_dir ?? "."),
      env: serviceEnv(config),
      logDir: logDir(this.dir(name)),
      ...(signal ? { signal } : {}),
    };
  }

  #build(name: string, config: CanonicalServiceConfig, jobs: DeployJobContext): Promise<void> {
    return this.build(name, config.build_command, jobs.cwd, config.env_vars ?? {}, jobs.signal);
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
  for (const job of config.jobs ?? []) {
    if (!job.run_command) {
      throw wrapSentinel(
        ErrValidation,
        `${spec.name}: job "${job.name}" needs a run_command (the local provider runs no images)`,
      );
    }
    if (job.kind === "SCHEDULED" && !job.cron) {
      throw wrapSentinel(ErrValidation, `${spec.name}: SCHEDULED job "${job.name}" needs a cron`);
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(job.name)) {
      throw wrapSentinel(
        ErrValidation,
        `${spec.name}: job name "${job.name}" must be letters, digits, "-", "_" or "." (it names the job's log file)`,
      );
    }
  }
  return config;
}
