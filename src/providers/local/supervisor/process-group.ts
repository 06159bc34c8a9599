import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from "node:fs";

export interface ProcessLaunch {
  readonly command: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly runAs?: { readonly uid: number; readonly gid: number };
}

/**
 * Starts `/bin/sh -c command` as the leader of its own process group, so that a stop
 * reaches the shell's children too. Output is appended to the log file by the child
 * itself (an inherited descriptor), so logging does not depend on the supervisor.
 */
export function launchProcessGroup(launch: ProcessLaunch): ChildProcess {
  const fd = openSync(launch.logFile, "a", 0o600);
  try {
    return spawn("/bin/sh", ["-c", launch.command], {
      cwd: launch.cwd,
      env: launch.env,
      detached: true,
      stdio: ["ignore", fd, fd],
      ...(launch.runAs ? { uid: launch.runAs.uid, gid: launch.runAs.gid } : {}),
    });
  } finally {
    closeSync(fd);
  }
}

/** Signals every process of the group led by `pid`; a group that is already gone is fine. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether any live (non-zombie) process remains in the group led by `pgid`. Orphans
 * are reaped by init, which may take a while (or never, in some containers), so on
 * Linux /proc is read and zombies are ignored; elsewhere a group signal 0 decides.
 */
export function isProcessGroupAlive(pgid: number): boolean {
  if (!existsSync("/proc/self/stat")) return isProcessAlive(-pgid);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}
