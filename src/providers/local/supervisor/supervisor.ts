import { appendFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Autoscaler, reconcileAutoscaler } from "./autoscaler.js";
import { Balancer } from "./balancer.js";
import { freePort } from "./free-port.js";
import { LogForwarder, logSources } from "./log-forwarder.js";
import { claimPidFile } from "./pid-file.js";
import { Replica } from "./replica.js";
import { Scheduler } from "./scheduler.js";
import { readSpecFile } from "./spec-file.js";
import { StatusWriter } from "./status-writer.js";
import {
  type ProcessGroupSpec,
  SUPERVISOR_FILES,
  SUPERVISOR_PROTOCOL_VERSION,
  type SupervisorSpec,
  type SupervisorStatus,
} from "./supervisor-protocol.js";

const POLL_MS = 25;

/**
 * Keeps one resource's processes running as its spec says: starts the groups, runs
 * the balancer, rolls replicas to a new generation on `reload()`, and stops
 * everything gracefully on `stop()`. Reloads are serialised; a stop interrupts a roll.
 */
export class Supervisor {
  readonly dir: string;
  readonly logDir: string;
  #spec!: SupervisorSpec;
  #groups = new Map<string, Replica[]>();
  #balancer: Balancer | undefined;
  #scheduler: Scheduler | undefined;
  #forwarder: LogForwarder | undefined;
  #autoscaler: Autoscaler | undefined;
  #status!: StatusWriter;
  #error: string | undefined;
  #stopping = false;
  #reloads: Promise<void> = Promise.resolve();
  #startup: Promise<void> = Promise.resolve();
  readonly #startedAt = new Date().toISOString();

  constructor(resourceDir: string) {
    this.dir = resolve(resourceDir);
    this.logDir = join(this.dir, SUPERVISOR_FILES.logs);
  }

  log(message: string): void {
    try {
      appendFileSync(
        join(this.logDir, "supervisor.log"),
        `${new Date().toISOString()} ${message}\n`,
        {
          mode: 0o600,
        },
      );
    } catch {
      // Logging must never take the supervisor down.
    }
  }

  /** Starts every group and the balancer; reloads and stops signalled meanwhile wait for it. */
  start(): Promise<void> {
    this.#startup = this.#boot();
    this.#reloads = this.#startup.catch(() => undefined);
    return this.#startup;
  }

  async #boot(): Promise<void> {
    mkdirSync(this.logDir, { recursive: true, mode: 0o700 });
    this.#spec = readSpecFile(this.dir);
    claimPidFile(this.dir);
    this.log(
      `supervisor ${process.pid} starting ${this.#spec.resource} generation ${this.#spec.generation}`,
    );
    this.#status = new StatusWriter(
      join(this.dir, SUPERVISOR_FILES.status),
      () => this.status(),
      (m) => this.log(m),
    );
    this.#status.start();
    this.#scheduler = new Scheduler({
      logDir: this.logDir,
      onChange: () => this.#changed(),
      log: (m) => this.log(m),
    });
    this.#scheduler.update(this.#spec.scheduled_jobs ?? []);
    this.#forwarder = new LogForwarder(
      this.#spec.resource,
      this.logDir,
      () => logSources(this.#allReplicas()),
      (m) => this.log(m),
    );
    this.#forwarder.update(this.#spec.log_destinations ?? []);
    this.#reconcileAutoscaler(this.#spec);
    for (const group of this.#spec.groups) {
      for (let index = 0; index < this.#instances(group); index++) {
        if (!this.#stopping) await this.#addReplica(group, index);
      }
    }
    if (this.#spec.balancer) {
      this.#balancer = this.#newBalancer(this.#spec);
      this.#balancer.start();
    }
  }

  /** Re-read spec.json and converge on it (serialised with other reloads). */
  reload(): Promise<void> {
    this.#reloads = this.#reloads
      .then(() => this.#reconcile())
      .catch((error: unknown) => {
        this.#error = `reload failed: ${(error as Error).message}`;
        this.log(this.#error);
        this.#changed();
      });
    return this.#reloads;
  }

  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#autoscaler?.stop();
    this.log("stopping");
    await this.#startup.catch(() => undefined);
    if (this.#status === undefined) {
      rmSync(join(this.dir, SUPERVISOR_FILES.pid), { force: true });
      return;
    }
    const { drain_ms, grace_ms } = this.#spec.termination;
    const balancer = this.#balancer;
    if (balancer) {
      await balancer.close(drain_ms);
      balancer.destroy();
    }
    await Promise.all([
      ...this.#allReplicas().map((r) => r.stop(drain_ms, grace_ms)),
      this.#scheduler?.stop(grace_ms),
    ]);
    // The replicas' last words (e.g. a shutdown message) are sent too.
    await this.#forwarder?.stop();
    this.#status.stop();
    this.#status.writeNow();
    rmSync(join(this.dir, SUPERVISOR_FILES.pid), { force: true });
    this.log("stopped");
  }

  /** A second stop signal: kill everything now. */
  kill(): void {
    for (const r of this.#allReplicas()) r.kill();
    this.#scheduler?.kill();
    this.#autoscaler?.stop();
    rmSync(join(this.dir, SUPERVISOR_FILES.pid), { force: true });
    this.log("killed");
  }

  status(): SupervisorStatus {
    const spec = this.#spec;
    const groups = spec.groups.map((g) => ({
      name: g.name,
      replicas: (this.#groups.get(g.name) ?? []).map((r) => r.status()),
    }));
    for (const [name, replicas] of this.#groups) {
      if (!spec.groups.some((g) => g.name === name)) {
        groups.push({ name, replicas: replicas.map((r) => r.status()) });
      }
    }
    const jobs = this.#scheduler?.status() ?? [];
    const error = [this.#error, this.#balancer?.error, ...(this.#scheduler?.errors() ?? [])]
      .filter(Boolean)
      .join("; ");
    return {
      version: SUPERVISOR_PROTOCOL_VERSION,
      pid: process.pid,
      resource: spec.resource,
      generation: spec.generation,
      started_at: this.#startedAt,
      updated_at: new Date().toISOString(),
      ...(this.#balancer
        ? {
            balancer: {
              port: this.#balancer.spec.port,
              listening: this.#balancer.listening,
              ...(this.#balancer.error ? { error: this.#balancer.error } : {}),
            },
          }
        : {}),
      groups,
      ...(jobs.length > 0 ? { jobs } : {}),
      ...(this.#autoscaler ? { autoscaling: this.#autoscaler.status() } : {}),
      ready: this.#ready(),
      ...(error ? { error } : {}),
    };
  }

  #ready(): boolean {
    if (this.#stopping) return false;
    if (this.#spec.balancer && !this.#balancer?.listening) return false;
    if ([...this.#groups.keys()].some((name) => !this.#spec.groups.some((g) => g.name === name))) {
      return false;
    }
    return this.#spec.groups.every((g) => {
      const replicas = this.#groups.get(g.name) ?? [];
      return (
        replicas.length === this.#instances(g) &&
        replicas.every((r) => r.generation === this.#spec.generation && r.state === "healthy")
      );
    });
  }

  /** The group's replica count: autoscaling's target when it drives the group. */
  #instances(group: ProcessGroupSpec): number {
    const scaler = this.#autoscaler;
    return scaler && scaler.policy.group === group.name ? scaler.target : group.instances;
  }

  #reconcileAutoscaler(spec: SupervisorSpec): void {
    this.#autoscaler = reconcileAutoscaler(this.#autoscaler, spec, {
      replicaPids: (group) =>
        (this.#groups.get(group) ?? []).flatMap((r) =>
          r.pid !== undefined && !r.draining ? [r.pid] : [],
        ),
      onScale: (group) => this.#rescale(group),
      log: (m) => this.log(m),
    });
  }

  /** Applies a new autoscaling target, serialised with reloads. */
  #rescale(name: string): void {
    this.#reloads = this.#reloads
      .then(async () => {
        const group = this.#spec.groups.find((g) => g.name === name);
        if (group && !this.#stopping) await this.#reconcileGroup(group);
      })
      .catch((error: unknown) => this.log(`autoscaling ${name}: ${(error as Error).message}`));
    this.#changed();
  }

  #allReplicas(): Replica[] {
    return [...this.#groups.values()].flat();
  }

  #changed(): void {
    this.#status?.changed();
  }

  #newBalancer(spec: SupervisorSpec): Balancer {
    const balancerSpec = spec.balancer!;
    return new Balancer(balancerSpec, {
      candidates: (group) => this.#groups.get(group) ?? [],
      onChange: () => this.#changed(),
      log: (m) => this.log(m),
    });
  }

  async #allocatePort(group: ProcessGroupSpec): Promise<number | undefined> {
    if (group.fixed_port !== undefined) return group.fixed_port;
    if (!group.port) return undefined;
    const taken = new Set(this.#allReplicas().map((r) => r.port));
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      if (!taken.has(port) || attempt >= 20) return port;
    }
  }

  async #addReplica(group: ProcessGroupSpec, index: number): Promise<Replica> {
    const replica = new Replica({
      group,
      index,
      generation: this.#spec.generation,
      port: await this.#allocatePort(group),
      logDir: this.logDir,
      restart: this.#spec.restart,
      awaitPort: balancedGroups(this.#spec).has(group.name),
      onChange: () => this.#changed(),
      log: (m) => this.log(m),
    });
    const list = this.#groups.get(group.name) ?? [];
    list.push(replica);
    this.#groups.set(group.name, list);
    replica.start();
    this.#changed();
    return replica;
  }

  async #removeReplica(replica: Replica): Promise<void> {
    const { drain_ms, grace_ms } = this.#spec.termination;
    await replica.stop(drain_ms, grace_ms);
    const list = this.#groups.get(replica.group.name) ?? [];
    const remaining = list.filter((r) => r !== replica);
    if (remaining.length > 0) this.#groups.set(replica.group.name, remaining);
    else this.#groups.delete(replica.group.name);
    this.#changed();
  }

  async #reconcile(): Promise<void> {
    if (this.#stopping) return;
    const next = readSpecFile(this.dir);
    if (next.generation === this.#spec.generation) {
      this.log(`reload: generation ${next.generation} unchanged; nothing to do`);
      return;
    }
    this.log(`reload: generation ${this.#spec.generation} -> ${next.generation}`);
    this.#spec = next;
    this.#error = undefined;
    this.#scheduler?.update(next.scheduled_jobs ?? []);
    this.#forwarder?.update(next.log_destinations ?? []);
    this.#reconcileAutoscaler(next);
    this.#changed();
    await this.#reconcileBalancer(next);
    for (const [name, replicas] of [...this.#groups]) {
      if (!next.groups.some((g) => g.name === name)) {
        await Promise.all(replicas.map((r) => this.#removeReplica(r)));
      }
    }
    for (const group of next.groups) {
      if (this.#stopping) return;
      const ok = await this.#reconcileGroup(group);
      if (!ok) return;
    }
    this.log(`reload: generation ${next.generation} in place`);
  }

  async #reconcileBalancer(next: SupervisorSpec): Promise<void> {
    if (next.balancer && this.#balancer) await this.#balancer.update(next.balancer);
    else if (next.balancer) {
      this.#balancer = this.#newBalancer(next);
      this.#balancer.start();
    } else if (this.#balancer) {
      const old = this.#balancer;
      this.#balancer = undefined;
      await old.close(next.termination.drain_ms);
      old.destroy();
    }
    this.#changed();
  }

  /** Scales and, when the group's definition changed, rolls it; false when a roll was abandoned. */
  async #reconcileGroup(group: ProcessGroupSpec): Promise<boolean> {
    const instances = this.#instances(group);
    const current = [...(this.#groups.get(group.name) ?? [])].sort((a, b) => a.index - b.index);
    const extra = current.filter((r) => r.index >= instances);
    await Promise.all(extra.map((r) => this.#removeReplica(r)));
    const keep = current.filter((r) => r.index < instances);
    const unchanged = keep.length > 0 && sameDefinition(keep[0]!.group, group);
    for (let index = 0; index < instances; index++) {
      if (this.#stopping) return false;
      const old = keep.find((r) => r.index === index);
      if (!old) await this.#addReplica(group, index);
      else if (unchanged) old.generation = this.#spec.generation;
      else if (!(await this.#replace(old, group))) return false;
    }
    this.#changed();
    return true;
  }

  /** Start the new replica, wait for readiness, then drain and stop the old one. */
  async #replace(old: Replica, group: ProcessGroupSpec): Promise<boolean> {
    if (group.fixed_port !== undefined) {
      // Two processes cannot share a fixed port: stop first, then start.
      await this.#removeReplica(old);
      await this.#addReplica(group, old.index);
      return true;
    }
    const fresh = await this.#addReplica(group, old.index);
    const timeoutMs = this.#spec.ready_timeout_ms ?? defaultReadyTimeout(group);
    const deadline = Date.now() + timeoutMs;
    while (!fresh.inRotation && Date.now() < deadline && !this.#stopping) await sleep(POLL_MS);
    if (!fresh.inRotation) {
      fresh.kill();
      await this.#removeReplica(fresh);
      if (this.#stopping) return false;
      this.#error = `rolling update to generation ${this.#spec.generation} abandoned: replica ${fresh.name} did not become ready within ${Math.round(timeoutMs / 100) / 10} s (see ${fresh.logFile}); the previous version keeps serving`;
      this.log(this.#error);
      this.#changed();
      return false;
    }
    await this.#removeReplica(old);
    return true;
  }
}

function sameDefinition(a: ProcessGroupSpec, b: ProcessGroupSpec): boolean {
  const { instances: _a, ...restA } = a;
  const { instances: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

function defaultReadyTimeout(group: ProcessGroupSpec): number {
  const h = group.health;
  return h ? h.initial_delay_ms + h.failure_threshold * h.period_ms + 30_000 : 30_000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The groups the balancer sends traffic to: its own and any a route names. */
function balancedGroups(spec: SupervisorSpec): Set<string> {
  const balancer = spec.balancer;
  if (!balancer) return new Set();
  return new Set([balancer.group, ...(balancer.routes ?? []).flatMap((r) => r.group ?? [])]);
}
