import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Backoff } from "./backoff.js";
import { ProbeLoop } from "./probe.js";
import { isProcessGroupAlive, launchProcessGroup, signalProcessGroup } from "./process-group.js";
import type {
  ProbeSpec,
  ProcessGroupSpec,
  ReplicaState,
  ReplicaStatus,
  SupervisorSpec,
} from "./supervisor-protocol.js";

/** Without a readiness probe, a replica with a port counts as healthy after this much uptime. */
export const UP_WITHOUT_PROBE_MS = 200;

/** The readiness of a balanced replica without a probe: up 200 ms and accepting TCP connections. */
const IMPLICIT_READINESS: ProbeSpec = {
  initial_delay_ms: UP_WITHOUT_PROBE_MS,
  period_ms: 100,
  timeout_ms: 1_000,
  success_threshold: 1,
  failure_threshold: 3,
};

export interface ReplicaOptions {
  readonly group: ProcessGroupSpec;
  readonly index: number;
  readonly generation: number;
  readonly port: number | undefined;
  readonly logDir: string;
  readonly restart: SupervisorSpec["restart"];
  /**
   * Without a readiness probe, also wait until the port accepts connections (for the
   * balancer's group: traffic must not reach a replica that is not listening yet).
   */
  readonly awaitPort: boolean;
  /** Called on every state change, so the status file follows. */
  readonly onChange: () => void;
  readonly log: (message: string) => void;
}

/**
 * One replica slot of a process group at one generation: keeps its process running
 * (restart with backoff), probes it, and stops it gracefully. Never throws on the
 * process's misbehaviour; it only changes state.
 */
export class Replica {
  readonly group: ProcessGroupSpec;
  readonly index: number;
  generation: number;
  readonly port: number | undefined;
  /** Requests the balancer has forwarded here and not finished. */
  inFlight = 0;
  /** Out of rotation (draining or stopping), whatever its probe says. */
  draining = false;

  #state: ReplicaState = "starting";
  #child: ChildProcess | undefined;
  #startedAt: number | undefined;
  #restarts = 0;
  #lastExit: ReplicaStatus["last_exit"];
  #backoff: Backoff;
  #readiness: ProbeLoop | undefined;
  #liveness: ProbeLoop | undefined;
  #upTimer: NodeJS.Timeout | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #exitWaiters: (() => void)[] = [];
  #stateWaiters: (() => void)[] = [];

  constructor(private readonly options: ReplicaOptions) {
    this.group = options.group;
    this.index = options.index;
    this.generation = options.generation;
    this.port = options.port;
    this.#backoff = new Backoff(options.restart);
  }

  get name(): string {
    return `${this.group.name}-${this.index}`;
  }

  get state(): ReplicaState {
    return this.#state;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get logFile(): string {
    return join(this.options.logDir, `${this.name}.log`);
  }

  /** Healthy and not draining: may receive traffic. */
  get inRotation(): boolean {
    return this.#state === "healthy" && !this.draining;
  }

  start(): void {
    this.#spawn();
  }

  status(): ReplicaStatus {
    return {
      index: this.index,
      generation: this.generation,
      ...(this.#child?.pid !== undefined && this.#child.exitCode === null && !this.#child.signalCode
        ? { pid: this.#child.pid }
        : {}),
      ...(this.port !== undefined ? { port: this.port } : {}),
      state: this.#state,
      restarts: this.#restarts,
      ...(this.#startedAt !== undefined
        ? { started_at: new Date(this.#startedAt).toISOString() }
        : {}),
      ...(this.#lastExit ? { last_exit: this.#lastExit } : {}),
    };
  }

  /** Resolves on the next state change (for waits that poll state). */
  nextChange(): Promise<void> {
    return new Promise((resolve) => this.#stateWaiters.push(resolve));
  }

  /**
   * Graceful stop: out of rotation, wait for in-flight requests up to `drainMs`, the
   * group's stop signal, SIGKILL to the whole group after `graceMs`.
   */
  async stop(drainMs: number, graceMs: number): Promise<void> {
    if (this.#stopping) return this.#waitExit();
    this.#stopping = true;
    this.draining = true;
    this.#clearTimers();
    this.#setState("stopping");
    const drainUntil = Date.now() + drainMs;
    while (this.inFlight > 0 && Date.now() < drainUntil) await sleep(20);
    const pid = this.#alivePid();
    if (pid !== undefined) {
      // The shell may exit at once while the app it started still shuts down: the
      // grace period is for the whole group, not just its leader.
      signalProcessGroup(pid, this.group.stop_signal ?? "SIGTERM");
      const killAt = Date.now() + graceMs;
      await this.#waitExit(graceMs);
      while (isProcessGroupAlive(pid) && Date.now() < killAt) await sleep(25);
      signalProcessGroup(pid, "SIGKILL");
      await this.#waitExit();
    }
    this.#setState("stopped");
  }

  /** Immediate stop, used when the supervisor is forced to quit. */
  kill(): void {
    this.#stopping = true;
    this.#clearTimers();
    const pid = this.#alivePid();
    if (pid !== undefined) signalProcessGroup(pid, "SIGKILL");
  }

  #alivePid(): number | undefined {
    const child = this.#child;
    if (!child || child.pid === undefined) return undefined;
    return child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  #waitExit(timeoutMs?: number): Promise<void> {
    if (this.#alivePid() === undefined) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.#exitWaiters.push(resolve));
    return timeoutMs === undefined ? exited : Promise.race([exited, sleep(timeoutMs)]);
  }

  #spawn(): void {
    if (this.#stopping) return;
    const env: Record<string, string> = {
      ...inheritedEnv(),
      ...this.group.env,
      INSTANCE_INDEX: String(this.index),
      ...(this.port !== undefined ? { PORT: String(this.port) } : {}),
    };
    let child: ChildProcess;
    try {
      child = launchProcessGroup({
        command: this.group.command,
        cwd: this.group.cwd,
        env,
        logFile: this.logFile,
        ...(this.group.run_as ? { runAs: this.group.run_as } : {}),
      });
    } catch (error) {
      this.options.log(`${this.name}: cannot start: ${(error as Error).message}`);
      this.#onExit(null, null, (error as Error).message);
      return;
    }
    this.#child = child;
    this.#startedAt = Date.now();
    this.#setState("starting");
    if (child.pid === undefined) {
      // Spawning failed (missing cwd, bad uid): reported by "error", never by "exit".
      child.once("error", (error) => {
        this.options.log(`${this.name}: cannot start: ${error.message}`);
        this.#onExit(null, null, error.message);
      });
      return;
    }
    const pid = child.pid;
    child.once("error", (error) => this.options.log(`${this.name}: ${error.message}`));
    child.once("exit", (code, signal) => {
      // Children the shell left behind must not hold the port for the next start.
      signalProcessGroup(pid, "SIGKILL");
      this.#onExit(code, signal);
    });
    this.options.log(`${this.name}: started pid ${pid} (generation ${this.generation})`);
    this.#startProbes();
  }

  #startProbes(): void {
    const { liveness } = this.group;
    const health =
      this.group.health ??
      (this.options.awaitPort && this.port !== undefined ? IMPLICIT_READINESS : undefined);
    if (health) {
      this.#readiness = new ProbeLoop(health, this.port, (passing) => {
        if (this.#stopping || this.#state === "crashed") return;
        this.#setState(passing ? "healthy" : "unhealthy");
      });
      this.#readiness.start();
    } else if (this.port === undefined) {
      this.#setState("healthy");
    } else {
      this.#upTimer = setTimeout(() => {
        if (!this.#stopping && this.#state === "starting") this.#setState("healthy");
      }, UP_WITHOUT_PROBE_MS);
    }
    if (liveness) {
      this.#liveness = new ProbeLoop(liveness, this.port, (passing) => {
        if (passing || this.#stopping) return;
        const pid = this.#alivePid();
        if (pid === undefined) return;
        this.options.log(`${this.name}: liveness probe failed; restarting pid ${pid}`);
        this.#liveness?.stop();
        signalProcessGroup(pid, "SIGKILL");
      });
      this.#liveness.start();
    }
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    const uptime = this.#startedAt === undefined ? 0 : Date.now() - this.#startedAt;
    this.#clearTimers();
    this.#lastExit = { code, signal, at: new Date().toISOString() };
    for (const resolve of this.#exitWaiters.splice(0)) resolve();
    if (this.#stopping) return;
    const delay = this.#backoff.delayAfter(uptime);
    this.options.log(
      `${this.name}: exited (${error ?? `code ${code}, signal ${signal}`}) after ${uptime} ms; restarting in ${delay} ms`,
    );
    this.#setState("crashed");
    this.#restartTimer = setTimeout(() => {
      this.#restarts += 1;
      this.#spawn();
    }, delay);
  }

  #clearTimers(): void {
    this.#readiness?.stop();
    this.#liveness?.stop();
    clearTimeout(this.#upTimer);
    clearTimeout(this.#restartTimer);
  }

  #setState(state: ReplicaState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.options.onChange();
    for (const resolve of this.#stateWaiters.splice(0)) resolve();
  }
}

/**
 * What a replica inherits from the supervisor's environment when its spec does not
 * say otherwise: enough to find programs and format text, never wfctl's credentials.
 */
const INHERITED_ENV = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR"] as const;

export function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
