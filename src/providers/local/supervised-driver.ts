import path from "node:path";
import type { Diagnostic, HealthResult, ResourceRef } from "../../contracts/index.js";
import { LocalDriver } from "./local-driver.js";
import { assertPortFree } from "./ports.js";
import { runBuild } from "./run-build.js";
import type { SupervisorSpec } from "./supervisor/supervisor-protocol.js";
import {
  liveSupervisorPid,
  logDir,
  readSpec,
  readStatus,
  SupervisorNotReadyError,
  signalSupervisor,
  startSupervisor,
  stopSupervisor,
  waitReady,
  writeSpec,
} from "./supervisor-client.js";
import { notReadyError, replicaSummary, supervisorDiagnostics } from "./supervisor-diagnostics.js";
import type { ResourceRecord } from "./workdir.js";

/** Extra time, past the spec's own drain and grace, before a stop turns into SIGKILL. */
const STOP_SLACK_MS = 5_000;

/**
 * A resource whose processes run under its own supervisor (services, static sites):
 * the supervisor is the resource, so when it is not running the resource is gone.
 */
export abstract class SupervisedDriver extends LocalDriver {
  protected async isLive(record: ResourceRecord): Promise<boolean> {
    return (await liveSupervisorPid(this.dir(record.name))) !== undefined;
  }

  /** Starts (or, when it runs, reloads) the supervisor on `spec` and waits until it is ready. */
  protected async run(name: string, spec: SupervisorSpec, signal?: AbortSignal): Promise<void> {
    const dir = this.dir(name);
    await writeSpec(dir, spec);
    // A supervisor that died is started again rather than reported: update heals.
    const reloaded = await signalSupervisor(dir, "SIGHUP");
    const pid = reloaded ? await liveSupervisorPid(dir) : await startSupervisor(dir);
    try {
      await waitReady(dir, {
        generation: spec.generation,
        timeoutMs: this.ctx.readyTimeoutMs,
        ...(pid !== undefined ? { pid } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (!(err instanceof SupervisorNotReadyError)) throw err;
      throw await notReadyError(dir, name, err.message, err.status);
    }
  }

  /** The next generation for a resource's supervisor spec. */
  protected async nextGeneration(name: string): Promise<number> {
    return ((await readSpec(this.dir(name)))?.generation ?? 0) + 1;
  }

  /** Runs `command` in `cwd` (relative to the config's folder), logging to `logs/build.log`. */
  protected async build(
    name: string,
    command: string | undefined,
    cwd: string,
    env: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<void> {
    if (!command) return;
    const log = path.join(logDir(this.dir(name)), "build.log");
    await runBuild(name, command, cwd, env, log, signal);
  }

  /** `http_port` must be free, and not claimed by another running local resource. */
  protected async checkHttpPort(name: string, port: number | undefined): Promise<void> {
    if (port === undefined) return;
    for (const r of await this.ctx.workdir.records()) {
      const held = r.name !== name && (r.config.http_port === port || r.data?.port === port);
      if (held && (await liveSupervisorPid(this.ctx.workdir.dir(r.type, r.name)))) {
        return assertPortFree(port, name, r.name);
      }
    }
    await assertPortFree(port, name);
  }

  async delete(ref: ResourceRef): Promise<void> {
    const record = await this.locate(ref);
    if (!record) return;
    await this.removeLeftovers(record);
  }

  /** Stops the supervisor (and replicas a dead one left behind), then removes the folder. */
  protected override async removeLeftovers(record: ResourceRecord): Promise<void> {
    const dir = this.dir(record.name);
    const spec = await readSpec(dir);
    const graceMs = (spec?.termination.drain_ms ?? 0) + (spec?.termination.grace_ms ?? 0);
    await stopSupervisor(dir, graceMs + STOP_SLACK_MS);
    await super.removeLeftovers(record);
  }

  async healthCheck(ref: ResourceRef): Promise<HealthResult> {
    const record = await this.liveRecord(ref);
    const status = await readStatus(this.dir(record.name));
    if (status?.ready) return { healthy: true, message: replicaSummary(status) };
    return { healthy: false, message: status?.error ?? replicaSummary(status) };
  }

  async troubleshoot(ref: ResourceRef): Promise<Diagnostic[]> {
    const record = await this.locate(ref);
    return record ? supervisorDiagnostics(this.dir(record.name), record.name) : [];
  }
}
