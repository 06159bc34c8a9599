import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { JobKind, JobSpec } from "../../contracts/index.js";

/** How long a deploy job may run before it is stopped and the deploy fails. */
const DEFAULT_JOB_TIMEOUT_MS = 10 * 60_000;

/** SIGTERM → SIGKILL grace of a job stopped at its timeout, without `termination`. */
const DEFAULT_JOB_GRACE_MS = 10_000;

const TAIL_LINES = 20;

/** Where and how a service's deploy jobs run: as the service's replicas would. */
export interface DeployJobContext {
  /** The service, for messages. */
  readonly resource: string;
  /** The service's `source_dir`, resolved. */
  readonly cwd: string;
  /** The service's environment (inherited PATH etc., env_vars, env_vars_secret). */
  readonly env: Readonly<Record<string, string>>;
  /** The resource's log folder: each job appends to `job-<name>.log` there. */
  readonly logDir: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The jobs of `kind`, in their config order. */
function jobsOfKind(jobs: readonly JobSpec[] | undefined, kind: JobKind): JobSpec[] {
  return (jobs ?? []).filter((job) => job.kind === kind);
}

export function jobLogFile(logDir: string, job: Pick<JobSpec, "name">): string {
  return path.join(logDir, `job-${job.name}.log`);
}

/**
 * Runs each job of `kind` in order, as a one-off `/bin/sh -c run_command` in the
 * service's folder; the first failure rejects, naming the job, its exit and the
 * log's last lines, and the jobs after it do not run.
 */
export async function runDeployJobs(
  kind: JobKind,
  jobs: readonly JobSpec[] | undefined,
  ctx: DeployJobContext,
): Promise<void> {
  for (const job of jobsOfKind(jobs, kind)) await runJob(job, ctx);
}

/**
 * Runs one step of a deploy (build, PRE_DEPLOY jobs, rollout). When it fails, the
 * FAILED_DEPLOY jobs run (all of them) and the step's error is rethrown, with any
 * job failure appended: a job's failure never hides why the deploy failed.
 */
export async function deployStep(
  jobs: readonly JobSpec[] | undefined,
  ctx: DeployJobContext,
  step: () => Promise<void>,
): Promise<void> {
  try {
    await step();
  } catch (original) {
    const failures: string[] = [];
    // They still run when wfctl was interrupted: they are the clean-up.
    const { signal: _interrupted, ...unsignalled } = ctx;
    for (const job of jobsOfKind(jobs, "FAILED_DEPLOY")) {
      await runJob(job, unsignalled).catch((err: Error) => failures.push(err.message));
    }
    if (failures.length === 0) throw original;
    const message = original instanceof Error ? original.message : String(original);
    throw new Error(`${message}\nthen ${failures.join("\nthen ")}`, { cause: original });
  }
}

/** A one-off process: a deploy job, or a job the provider runs itself (migration repair). */
export type OneOffJob = Pick<
  JobSpec,
  "name" | "run_command" | "env_vars" | "env_vars_secret" | "termination"
> & { readonly kind?: string };

/**
 * One job to completion, its output appended to `log`; rejects on a non-zero exit, a
 * signal, a timeout or an abort, naming the job and quoting the log's last lines.
 */
export async function runJob(
  job: OneOffJob,
  ctx: DeployJobContext,
  log = jobLogFile(ctx.logDir, job),
): Promise<void> {
  const what = `${ctx.resource}: ${job.kind ? `${job.kind} job` : "job"} "${job.name}"`;
  await mkdir(ctx.logDir, { recursive: true, mode: 0o700 });
  const out = openSync(log, "a", 0o600);
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const graceMs =
    job.termination?.grace_period_seconds !== undefined
      ? job.termination.grace_period_seconds * 1000
      : DEFAULT_JOB_GRACE_MS;
  let stoppedBy: string | undefined;
  let kill: NodeJS.Timeout | undefined;
  let result: { code: number | null; signal: NodeJS.Signals | null };
  try {
    // Its own process group, so a stop reaches whatever the shell started.
    const child = spawn("/bin/sh", ["-c", job.run_command ?? ""], {
      cwd: ctx.cwd,
      env: { ...ctx.env, ...job.env_vars, ...job.env_vars_secret },
      stdio: ["ignore", out, out],
      detached: true,
    });
    const stop = (why: string) => {
      if (stoppedBy !== undefined || child.pid === undefined) return;
      stoppedBy = why;
      signalGroup(child.pid, "SIGTERM");
      const pid = child.pid;
      kill = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
    };
    const timer = setTimeout(
      () => stop(`timed out after ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    );
    const onAbort = () => stop("was interrupted");
    ctx.signal?.addEventListener("abort", onAbort, { once: true });
    if (ctx.signal?.aborted) onAbort();
    try {
      result = await new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("close", (code, sig) => resolve({ code, signal: sig }));
      });
    } finally {
      clearTimeout(timer);
      clearTimeout(kill);
      ctx.signal?.removeEventListener("abort", onAbort);
    }
  } catch (err) {
    throw new Error(`${what} could not start in ${ctx.cwd}: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    closeSync(out);
  }
  if (result.code === 0 && stoppedBy === undefined) return;
  const how =
    stoppedBy ??
    (result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`);
  const tail = await logTail(log);
  throw new Error(
    `${what} ${how} (log: ${log})${tail.length > 0 ? `\n${tail.map((l) => `  | ${l}`).join("\n")}` : ""}`,
  );
}

/** The last lines of a job's log (none when it cannot be read). */
export async function logTail(log: string, lines = TAIL_LINES): Promise<string[]> {
  return (await readFile(log, "utf8").catch(() => ""))
    .split("\n")
    .filter((l) => l !== "")
    .slice(-lines);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}
