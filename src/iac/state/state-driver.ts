import type { IaCPlan, ResourceState } from "../../contracts/index.js";
import type { LockHolder, ResourceIntent, StateBackend } from "./state-store.js";

/**
 * What a storage backend provides: plain reads and writes, each durable before it
 * resolves. ManagedStateStore wraps a driver with everything the backends share —
 * lifecycle, cancellation, timestamps, sorting, the locking policy and error context —
 * so each backend only says how to store things (kysely's Driver vs RuntimeDriver).
 */
export interface StateDriver {
  readonly backend: StateBackend;
  /** Where the state lives, for messages; never holds a password. */
  readonly location: string;
  readonly locks: LockDriver;

  /** Upsert by name, keeping the created_at of a record already stored. */
  putResource(state: ResourceState): Promise<void>;
  getResource(name: string): Promise<ResourceState | undefined>;
  /** In any order. */
  listResources(): Promise<ResourceState[]>;
  /** No error when absent. */
  deleteResource(name: string): Promise<void>;

  putPlan(plan: IaCPlan): Promise<void>;
  getPlan(id: string): Promise<IaCPlan | undefined>;

  putIntent(intent: ResourceIntent): Promise<void>;
  /** No error when absent. */
  deleteIntent(name: string): Promise<void>;
  /** In any order. */
  listIntents(): Promise<ResourceIntent[]>;

  close(): Promise<void>;
}

/**
 * Lock records shared by every process that opens the same state. Each mutation is
 * atomic against other processes: `replace` and `release` are compare-and-swap on the
 * holder id, so of two processes taking over the same stale lock exactly one wins.
 */
export interface LockDriver {
  /** Creates the lock if nobody holds it; false when a record exists. */
  create(name: string, holder: LockHolder): Promise<boolean>;
  read(name: string): Promise<LockHolder | undefined>;
  /** Replaces the record only if it is still held by `expectedId` (take over, renew). */
  replace(name: string, expectedId: string, next: LockHolder): Promise<boolean>;
  /** Removes the record only if it is still held by `id`. */
  release(name: string, id: string): Promise<boolean>;
  /** Removes the record whoever holds it, returning the holder it had. */
  remove(name: string): Promise<LockHolder | undefined>;
}
