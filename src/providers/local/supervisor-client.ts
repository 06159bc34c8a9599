import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { supervisorCommand } from "./supervisor/supervisor-entry.js";
import {
  SUPERVISOR_FILES,
  type SupervisorSpec,
  type SupervisorStatus,
} from "./supervisor/supervisor-protocol.js";
import { readJson, writeFileAtomic } from "./workdir.js";

/**
 * The provider's side of the supervisor protocol (supervisor-protocol.ts): write the
 * spec, start the detached supervisor, signal it, read its status and wait for it.
 */

/** The supervisor's own stdout/stderr, for crashes before it has a log of its own. */
export const SUPERVISOR_OUTPUT_LOG = "supervisor.out.log";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function logDir(dir: string): string {
  return path.join(dir, SUPERVISOR_FILES.logs);
}

export async function writeSpec(dir: string, spec: SupervisorSpec): Promise<void> {
  await writeFileAtomic(
    path.join(dir, SUPERVISOR_FILES.spec),
    `${JSON.stringify(spec, null, 2)}\n`,
  );
}

export async function readSpec(dir: string): Promise<SupervisorSpec | undefined> {
  return readJson<SupervisorSpec>(path.join(dir, SUPERVISOR_FILES.spec));
}

export async function readStatus(dir: string): Promise<SupervisorStatus | undefined> {
  return readJson<SupervisorStatus>(path.join(dir, SUPERVISOR_FILES.status));
}

/**
 * True when a process with this pid runs (signal 0 checks without signalling). A
 * zombie, dead but not yet reaped by init, does not count.
 */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return procField(pid, "stat", (stat) => !/^\d+ \(.*\) Z/s.test(stat)) ?? true;
}

/** `check` over `/proc/<pid>/<file>`, or undefined where there is no /proc. */
function procField(
  pid: number,
  file: string,
  check: (text: string) => boolean,
): boolean | undefined {
  try {
    return check(readFileSync(`/proc/${pid}/${file}`, "utf8"));
  } catch {
    return undefined;
  }
}

export async function supervisorPid(dir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path.join(dir, SUPERVISOR_FILES.pid), "utf8"), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the resource's supervisor when it is running. */
export async function liveSupervisorPid(dir: string): Promise<number | undefined> {
  const pid = await supervisorPid(dir);
  return isAlive(pid) ? pid : undefined;
}

/**
 * Starts the supervisor for the resource in `dir`, detached so it outlives wfctl;
 * the spec must already be written. Returns its pid.
 */
export async function startSupervisor(dir: string): Promise<number> {
  await mkdir(logDir(dir), { recursive: true, mode: 0o700 });
  await rm(path.join(dir, SUPERVISOR_FILES.status), { force: true });
  await rm(path.join(dir, SUPERVISOR_FILES.pid), { force: true });
  const { command, args } = supervisorCommand();
  const out = openSync(path.join(logDir(dir), SUPERVISOR_OUTPUT_LOG), "a", 0o600);
  try {
    const child = spawn(command, [...args, dir], {
      detached: true,
      stdio: ["ignore", out, out],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => resolve(child.pid ?? -1));
    });
    child.unref();
    return pid;
  } finally {
    closeSync(out);
  }
}

export async function signalSupervisor(dir: string, signal: NodeJS.Signals): Promise<boolean> {
  const pid = await liveSupervisorPid(dir);
  if (pid === undefined) return false;
  process.kill(pid, signal);
  return true;
}

export interface WaitReadyOptions {
  readonly generation: number;
  readonly timeoutMs: number;
  /** The pid to watch before the supervisor has written its pid file. */
  readonly pid?: number;
  readonly signal?: AbortSignal;
}

/** Why waiting for a supervisor ended without a ready resource. */
export class SupervisorNotReadyError extends Error {
  constructor(
    message: string,
    readonly status: SupervisorStatus | undefined,
  ) {
    super(message);
  }
}

/**
 * Resolves with the status once the supervisor runs `generation` and reports ready.
 * Rejects early when the supervisor exits or reports an error, else at the deadline.
 */
export async function waitReady(dir: string, options: WaitReadyOptions): Promise<SupervisorStatus> {
  const deadline = Date.now() + options.timeoutMs;
  let status: SupervisorStatus | undefined;
  for (;;) {
    status = await readStatus(dir);
    const pid = (await supervisorPid(dir)) ?? options.pid;
    if (status && status.generation === options.generation && status.ready) return status;
    if (status?.error) {
      throw new SupervisorNotReadyError(status.error, status);
    }
    if (!isAlive(pid)) {
      throw new SupervisorNotReadyError("the supervisor exited", status);
    }
    if (options.signal?.aborted) {
      throw new SupervisorNotReadyError("interrupted while waiting for readiness", status);
    }
    if (Date.now() >= deadline) {
      throw new SupervisorNotReadyError(
        `not ready after ${Math.round(options.timeoutMs / 1000)} s`,
        status,
      );
    }
    await sleep(100);
  }
}

/**
 * Stops the supervisor gracefully (SIGTERM: it drains and stops its replicas), and
 * kills it once `graceMs` has passed. Replicas a dead supervisor left behind (it was
 * killed with SIGKILL) are then stopped too.
 */
export async function stopSupervisor(dir: string, graceMs: number): Promise<void> {
  const pid = await liveSupervisorPid(dir);
  if (pid !== undefined) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await stopOrphans(dir);
}

/**
 * Replicas still running from the last status: each leads its own process group
 * (`/bin/sh -c <command>`), so the group is signalled. A pid is only trusted while
 * it is still that replica (its command line is the group's command, or it started
 * when the replica did), so a reused pid is never hit.
 */
async function stopOrphans(dir: string): Promise<void> {
  const [status, spec] = [await readStatus(dir), await readSpec(dir)];
  const orphans: number[] = [];
  for (const group of status?.groups ?? []) {
    const command = spec?.groups.find((g) => g.name === group.name)?.command;
    if (command === undefined) continue;
    for (const replica of group.replicas) {
      const pid = replica.pid;
      if (pid === undefined || !isAlive(pid)) continue;
      const sameCommand = procField(pid, "cmdline", (l) => l === `/bin/sh\0-c\0${command}\0`);
      const startedAt = replica.started_at ? Date.parse(replica.started_at) : Number.NaN;
      if (sameCommand === true || Math.abs(processStartMs(pid) - startedAt) < 2_000)
        orphans.push(pid);
    }
  }
  if (orphans.length === 0) return;
  for (const pid of orphans) signalGroup(pid, "SIGTERM");
  const deadline = Date.now() + 2_000;
  while (orphans.some(isAlive) && Date.now() < deadline) await sleep(50);
  for (const pid of orphans) if (isAlive(pid)) signalGroup(pid, "SIGKILL");
}

/** When `pid` started (ms since the epoch), from /proc; NaN where that is unknown. */
function processStartMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command; starttime is field 22, in clock ticks (100/s).
    const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    return (btime + ticks / 100) * 1000;
  } catch {
    return Number.NaN;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** The last `lines` lines of each log file of the resource, newest file first. */
export async function logTails(
  dir: string,
  lines: number,
): Promise<{ file: string; lines: string[] }[]> {
  const logs = logDir(dir);
  let files: string[];
  try {
    files = (await readdir(logs)).filter((f) => f.endsWith(".log"));
  } catch {
    return [];
  }
  const out: { file: string; lines: string[] }[] = [];
  for (const file of files.sort()) {
    const text = await readFile(path.join(logs, file), "utf8").catch(() => "");
    const tail = text
      .split("\n")
      .filter((l) => l !== "")
      .slice(-lines);
    if (tail.length > 0) out.push({ file, lines: tail });
  }
  return out;
}
