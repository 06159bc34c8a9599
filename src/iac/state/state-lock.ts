import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { CallOptions } from "../../contracts/index.js";
import type { LockDriver } from "./state-driver.js";
import { toStateError } from "./state-error.js";
import { StateLockedError } from "./state-locked-error.js";
import type { LockHolder, LockIdentity, LockOptions, StateLockHandle } from "./state-store.js";

/**
 * The locking policy every backend shares, on top of its LockDriver: wait for a live
 * holder (polling) up to `waitMs`, take over an expired holder or a dead process on
 * this host, and keep a held lock alive with a heartbeat until it is unlocked.
 */

export interface LockContext {
  readonly locks: LockDriver;
  readonly identity: LockIdentity;
  readonly backend: string;
  readonly location: string;
}

export async function acquireStateLock(
  ctx: LockContext,
  name: string,
  ttlMs: number,
  opts: LockOptions,
  held: Set<HeldLock>,
): Promise<HeldLock> {
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) {
    throw new RangeError(`a lock TTL must be a positive number of milliseconds, got ${ttlMs}`);
  }
  const deadline = Date.now() + Math.max(0, opts.waitMs ?? 0);
  for (;;) {
    opts.signal?.throwIfAborted();
    const fresh = newHolder(ctx.identity, ttlMs);
    if (await ctx.locks.create(name, fresh)) {
      return new HeldLock(ctx, name, ttlMs, fresh, opts.onLost, held);
    }
    const current = await ctx.locks.read(name);
    if (current === undefined) continue; // released meanwhile: try again at once
    const reason = takeoverReason(current, ctx.identity);
    if (reason !== undefined) {
      // Compare-and-swap on the stale holder's id: of several takers, one wins.
      if (!(await ctx.locks.replace(name, current.id, fresh))) continue;
      const lock = new HeldLock(ctx, name, ttlMs, fresh, opts.onLost, held);
      try {
        opts.onTakeover?.(current, reason);
      } catch (err) {
        await lock.unlock();
        throw err;
      }
      return lock;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new StateLockedError(current, ctx.location);
    await sleep(Math.min(left, 100 + Math.random() * 150), opts.signal);
  }
}

/** A lock this process holds, renewed every ttl/3 until unlocked. */
export class HeldLock implements StateLockHandle {
  readonly #ctx: LockContext;
  readonly #name: string;
  readonly #ttlMs: number;
  readonly #onLost: LockOptions["onLost"];
  readonly #held: Set<HeldLock>;
  readonly #timer: NodeJS.Timeout;
  #holder: LockHolder;
  #state: "held" | "lost" | "released" = "held";
  #renewal: Promise<void> | undefined;

  constructor(
    ctx: LockContext,
    name: string,
    ttlMs: number,
    holder: LockHolder,
    onLost: LockOptions["onLost"],
    held: Set<HeldLock>,
  ) {
    this.#ctx = ctx;
    this.#name = name;
    this.#ttlMs = ttlMs;
    this.#holder = holder;
    this.#onLost = onLost;
    this.#held = held;
    held.add(this);
    // Unref'd: a held lock must not keep the process alive; if it exits without
    // unlocking, the lock lapses (TTL) or is taken over (dead pid).
    this.#timer = setInterval(() => this.#beat(), Math.max(10, ttlMs / 3)).unref();
  }

  get holderInfo(): LockHolder {
    return this.#holder;
  }

  get holder(): string {
    return `${this.#holder.user}@${this.#holder.host} (pid ${this.#holder.pid})`;
  }

  get expiresAt(): string {
    return this.#holder.expires_at;
  }

  /** Releases the lock if this holder still owns it; a no-op the second time. */
  async unlock(opts?: CallOptions): Promise<void> {
    const wasHeld = this.#state === "held";
    await this.stop();
    if (!wasHeld) return;
    try {
      await this.#ctx.locks.release(this.#name, this.#holder.id);
    } catch (err) {
      throw toStateError(err, `release lock "${this.#name}"`, this.#ctx, opts?.signal);
    }
  }

  /**
   * Stops renewing without releasing (the store is closing): the lock then lapses
   * after its TTL, as a crashed holder's would.
   */
  async stop(): Promise<void> {
    if (this.#state === "held") this.#state = "released";
    clearInterval(this.#timer);
    this.#held.delete(this);
    await this.#renewal;
  }

  #beat(): void {
    if (this.#renewal !== undefined) return; // the previous renewal is still running
    this.#renewal = this.#renew().finally(() => {
      this.#renewal = undefined;
    });
  }

  async #renew(): Promise<void> {
    const next = { ...this.#holder, expires_at: isoIn(this.#ttlMs) };
    let renewed: boolean;
    try {
      renewed = await this.#ctx.locks.replace(this.#name, this.#holder.id, next);
    } catch {
      return; // transient failure: the next beat tries again, well before the TTL lapses
    }
    if (renewed) {
      this.#holder = next;
      return;
    }
    // Another run took the lock over (this one's TTL lapsed while it was stalled).
    if (this.#state !== "held") return;
    this.#state = "lost";
    clearInterval(this.#timer);
    this.#held.delete(this);
    const current = await this.#ctx.locks.read(this.#name).catch(() => undefined);
    this.#onLost?.(current);
  }
}

function newHolder(identity: LockIdentity, ttlMs: number): LockHolder {
  return {
    id: randomUUID(),
    user: identity.user,
    host: identity.host,
    pid: identity.pid,
    command: identity.command,
    acquired_at: new Date().toISOString(),
    expires_at: isoIn(ttlMs),
  };
}

function takeoverReason(
  current: LockHolder,
  identity: LockIdentity,
): "expired" | "holder_dead" | undefined {
  // An unparseable expiry counts as expired: otherwise the lock could never be freed.
  if (!(Date.parse(current.expires_at) > Date.now())) return "expired";
  if (current.host === identity.host && !isProcessAlive(current.pid)) return "holder_dead";
  return undefined;
}

/** Signal 0 probes without signalling; only ESRCH proves the process is gone. */
function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // 0 and negatives address process groups
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

function isoIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch (err) {
    // Reject with the caller's reason, as signal.throwIfAborted() does.
    if (signal?.aborted) throw signal.reason;
    throw err;
  }
}
