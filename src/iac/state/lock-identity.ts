import os from "node:os";
import type { LockIdentity } from "./state-store.js";

/** This process as a lock holder: user, host, pid and the command line that runs. */
export function processLockIdentity(command: string): LockIdentity {
  return { user: currentUser(), host: os.hostname(), pid: process.pid, command };
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (e.g. an arbitrary uid in a container).
    return process.env.USER ?? process.env.USERNAME ?? `uid ${process.getuid?.() ?? "?"}`;
  }
}
