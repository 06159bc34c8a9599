import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Cron } from "croner";
import { isProcessGroupAlive, launchProcessGroup, signalProcessGroup } from "./process-group.js";
import { inheritedEnv } from "./replica.js";
import type { JobStatus, ScheduledJobSpec } from "./supervisor-protocol.js";

export interface SchedulerOptions {
  readonly logDir: string;
  readonly onChange: () => void;
  readonly log: (message: string) => void;
}

interface JobState {
  spec: ScheduledJobSpec;
  cron: Cron | undefined;
  child: ChildProcess | undefined;
  lastRun: JobStatus["last_run"];
  error: string | undefined;
}

/**
 * Runs a resource's scheduled jobs on their cron: each job at most once at a time
 * (a tick that finds the previous run still going is skipped and logged), output to
 * `logs/job-<name>.log`, the last run kept for status.json.
 */
export class Scheduler {
  readonly #jobs = new Map<string, JobState>();
  #stopped = false;

  constructor(private readonly options: SchedulerOptions) {}

  /** Converge on `specs`: new schedules apply at once; a run in progress finishes. */
  update(specs: readonly ScheduledJobSpec[]): void {
    for (const [name, job] of this.#jobs) {
      job.cron?.stop();
      if (!specs.some((s) => s.name === name)) {
        this.#terminate(job);
        this.#jobs.delete(name);
      }
    }
    for (const spec of specs) {
      const job = this.#jobs.get(spec.name) ?? {
        spec,
        cron: undefined,
        child: undefined,
        lastRun: undefined,
        error: undefined,
      };
      job.spec = spec;
      job.error = undefined;
      job.cron = undefined;
      try {
        job.cron = new Cron(
          spec.cron,
          { ...(spec.timezone ? { timezone: spec.timezone } : {}) },
          () => this.#tick(job),
        );
      } catch (error) {
        job.error = `job ${spec.name}: invalid schedule "${spec.cron}": ${(error as Error).message}`;
        this.options.log(job.error);
      }
      this.#jobs.set(spec.name, job);
    }
    this.options.onChange();
  }

  status(): JobStatus[] {
    return [...this.#jobs.values()].map((job) => {
      const next = job.cron?.nextRun();
      return {
        name: job.spec.name,
        running: job.child !== undefined,
        ...(job.lastRun ? { last_run: job.lastRun } : {}),
        ...(next ? { next_run: next.toISOString() } : {}),
        ...(job.error ? { error: job.error } : {}),
      };
    });
  }

  /** The jobs' problems, for the resource's error. */
  errors(): string[] {
    return [...this.#jobs.values()].flatMap((job) => (job.error ? [job.error] : []));
  }

  /** No more runs; runs in progress get the stop signal, then SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    const pids: number[] = [];
    for (const job of this.#jobs.values()) {
      job.cron?.stop();
      const pid = job.child?.pid;
      if (pid !== undefined) pids.push(pid);
      this.#terminate(job);
    }
    const killAt = Date.now() + graceMs;
    while (pids.some(isProcessGroupAlive) && Date.now() < killAt) await sleep(25);
    for (const pid of pids) signalProcessGroup(pid, "SIGKILL");
  }

  /** Immediate stop, used when the supervisor is forced to quit. */
  kill(): void {
    this.#stopped = true;
    for (const job of this.#jobs.values()) {
      job.cron?.stop();
      if (job.child?.pid !== undefined) signalProcessGroup(job.child.pid, "SIGKILL");
    }
  }

  #terminate(job: JobState): void {
    const pid = job.child?.pid;
    if (pid !== undefined) signalProcessGroup(pid, "SIGTERM");
  }

  #tick(job: JobState): void {
    if (this.#stopped) return;
    const { spec } = job;
    if (job.child) {
      this.options.log(
        `job ${spec.name}: previous run (pid ${job.child.pid}) still going; skipping this run`,
      );
      return;
    }
    const startedAt = new Date().toISOString();
    let child: ChildProcess;
    try {
      child = launchProcessGroup({
        command: spec.command,
        cwd: spec.cwd,
        env: { ...inheritedEnv(), ...spec.env },
        logFile: join(this.options.logDir, `job-${spec.name}.log`),
      });
    } catch (error) {
      this.#finished(job, startedAt, null, null, (error as Error).message);
      return;
    }
    job.child = child;
    job.lastRun = { started_at: startedAt };
    this.options.log(`job ${spec.name}: started pid ${child.pid}`);
    this.options.onChange();
    child.once("error", (error) => {
      if (child.pid === undefined) this.#finished(job, startedAt, null, null, error.message);
    });
    child.once("exit", (code, signal) => {
      if (child.pid !== undefined) signalProcessGroup(child.pid, "SIGKILL");
      this.#finished(job, startedAt, code, signal);
    });
  }

  #finished(
    job: JobState,
    startedAt: string,
    code: number | null,
    signal: NodeJS.Signals | null,
    error?: string,
  ): void {
    job.child = undefined;
    job.lastRun = {
      started_at: startedAt,
      finished_at: new Date().toISOString(),
      exit_code: code,
      signal,
    };
    this.options.log(
      `job ${job.spec.name}: ${error ? `cannot start: ${error}` : `exited (code ${code}, signal ${signal})`}`,
    );
    this.options.onChange();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
