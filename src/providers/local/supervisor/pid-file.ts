import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "./process-group.js";
import { SUPERVISOR_FILES } from "./supervisor-protocol.js";

/**
 * Writes this process's pid to the resource folder's `supervisor.pid`, refusing when
 * another live supervisor of the same folder holds it (one supervisor per resource).
 */
export function claimPidFile(dir: string): void {
  const path = join(dir, SUPERVISOR_FILES.pid);
  try {
    const other = Number(readFileSync(path, "utf8").trim());
    if (other !== process.pid && other > 0 && isProcessAlive(other) && isSupervisorOf(other, dir)) {
      throw new Error(`another supervisor (pid ${other}) already runs ${dir}`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
}

/** A recycled pid must not block a restart: check the process really supervises this folder. */
function isSupervisorOf(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
  } catch {
    return true;
  }
}
