import { closeSync, openSync, statSync, unlinkSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { isCode } from "./durable-dir.js";

/** A guard older than this belongs to a process that died inside a few-ms critical section. */
const STALE_GUARD_MS = 10_000;

/**
 * Runs `fn` as the only process in the critical section named by `guard`, a file
 * taken by exclusive create and removed afterwards (Node has no flock). Sections are
 * a few milliseconds long, so a guard older than 10 s is left over from a crash and
 * is broken.
 */
export async function withFileGuard<T>(guard: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      closeSync(openSync(guard, "wx", 0o600));
      break;
    } catch (err) {
      if (!isCode(err, "EEXIST")) throw err;
    }
    if (guardAge(guard) > STALE_GUARD_MS) removeIfPresent(guard);
    else await delay(2 + Math.random() * 8);
  }
  try {
    return await fn();
  } finally {
    removeIfPresent(guard);
  }
}

export function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if (!isCode(err, "ENOENT")) throw err;
  }
}

/** Milliseconds since the guard was made; 0 if it is gone already. */
function guardAge(guard: string): number {
  try {
    return Date.now() - statSync(guard).mtimeMs;
  } catch {
    return 0;
  }
}
