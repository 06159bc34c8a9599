import type {
  CallOptions,
  IaCLockHandle,
  IaCStateStore,
  ResourceSpec,
  ResourceState,
} from "../../contracts/index.js";

/**
 * What wfctl needs of a state store beyond the seed's IaCStateStore: lock holders,
 * forced unlock, and write-ahead intents for crash safety. Every backend
 * (filesystem, SQLite, PostgreSQL) implements this and passes one shared suite.
 */

/** Who holds the state lock: shown when someone else is refused. */
export interface LockHolder {
  /** Unique per acquisition, so a stale handle never releases a newer holder's lock. */
  readonly id: string;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  /** The command line that took the lock, e.g. `wfctl infra apply -y`. */
  readonly command: string;
  readonly acquired_at: string;
  /** Renewed by the holder's heartbeat; past it, the lock may be taken over. */
  readonly expires_at: string;
}

/** Identity of this process, given to a store when it is opened. */
export type LockIdentity = Pick<LockHolder, "user" | "host" | "pid" | "command">;

export interface LockOptions extends CallOptions {
  /** How long to wait for a held lock before giving up (0: fail at once). */
  readonly waitMs?: number;
  /** Called when a lock of a dead or expired holder is taken over. */
  readonly onTakeover?: (previous: LockHolder, reason: "expired" | "holder_dead") => void;
  /**
   * Called when the heartbeat finds the lock taken over by another run (this one's TTL
   * lapsed while it was stalled), with the new holder if known. The lock is no longer
   * held; the caller should stop changing state.
   */
  readonly onLost?: (current: LockHolder | undefined) => void;
}

export interface StateLockHandle extends IaCLockHandle {
  readonly holderInfo: LockHolder;
}

/**
 * A create or replace about to be dispatched, recorded durably first, so that a crash
 * between "the cloud created it" and "state saved it" can be reconciled on the next
 * run (adopt what was created) instead of orphaning or duplicating the resource.
 */
export interface ResourceIntent {
  /** Resource name (the state key). */
  readonly name: string;
  readonly type: string;
  /** The `iac.provider` module that owns the resource. */
  readonly provider: string;
  readonly action: "create" | "replace";
  readonly spec: ResourceSpec;
  /** For a replace: the provider ID being replaced. */
  readonly previous_provider_id?: string;
  readonly recorded_at: string;
}

export type StateBackend = "filesystem" | "sqlite" | "postgres";

/**
 * saveResource upserts by name, keeping the created_at of an existing record (or the
 * caller's, for a new one) and stamping updated_at; every write is durable before it
 * resolves. listResources is sorted by name; getResource/getPlan of an unknown key
 * give undefined; deleteResource of an unknown name is not an error.
 */
export interface StateStore extends IaCStateStore {
  readonly backend: StateBackend;
  /** Where the state lives, for messages (a directory, a file, a redacted DSN). */
  readonly location: string;

  lock(resource: string, ttlMs: number, opts?: LockOptions): Promise<StateLockHandle>;
  /** The current holder of a lock, if any (expired holders included, marked by expires_at). */
  lockInfo(resource: string, opts?: CallOptions): Promise<LockHolder | undefined>;
  /** Remove a lock whoever holds it (`wfctl infra state unlock --force`). */
  forceUnlock(resource: string, opts?: CallOptions): Promise<LockHolder | undefined>;

  /** Durable before it resolves; replaces an intent of the same name. */
  saveIntent(intent: ResourceIntent, opts?: CallOptions): Promise<void>;
  /**
   * No error when there is none. Visible at once, but a store may make it durable only
   * with its next write or close: an intent whose deletion a power failure undid is
   * one the next run settles harmlessly, and apply saves a flush per create.
   */
  deleteIntent(name: string, opts?: CallOptions): Promise<void>;
  /** Sorted by name. */
  listIntents(opts?: CallOptions): Promise<ResourceIntent[]>;

  /**
   * Idempotent. Stops the heartbeat of locks still held without releasing them (they
   * lapse after their TTL, like a crashed holder's): unlock before closing.
   */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The one lock every state-changing command takes. */
export const STATE_LOCK = "state";

export type { ResourceState };
