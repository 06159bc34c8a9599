import type { LockOptions, StateStore } from "./state-store.js";
import { STATE_LOCK } from "./state-store.js";

/** Runs `fn` holding the state lock, released however `fn` ends. */
export async function withStateLock<T>(
  store: StateStore,
  ttlMs: number,
  fn: () => Promise<T>,
  opts?: LockOptions,
): Promise<T> {
  const lock = await store.lock(STATE_LOCK, ttlMs, opts);
  try {
    return await fn();
  } finally {
    await lock.unlock();
  }
}
