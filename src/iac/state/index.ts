/**
 * IaC state: where wfctl keeps what it manages. One StateStore contract (resources,
 * plans, write-ahead intents, locks with holders, TTL and heartbeat) with three
 * backends — filesystem (default), SQLite and PostgreSQL — each a driver behind the
 * shared ManagedStateStore, and all passing one conformance suite
 * (test/iac/state/store-suite.ts). Every persisted record carries a format version.
 */

export { redactDsn } from "../../diagnostics/redact-dsn.js";
export { openFilesystemStore } from "./filesystem/index.js";
export { processLockIdentity } from "./lock-identity.js";
export {
  DEFAULT_LOCK_TTL_MS,
  type OpenStateOptions,
  openStateStore,
  type ResolvedStateConfig,
  resolveStateConfig,
  stateLocation,
} from "./open-state-store.js";
export { openPostgresStore } from "./postgres/index.js";
export { openSqliteStore } from "./sqlite/index.js";
export { StateLockedError } from "./state-locked-error.js";
export { STATE_FORMAT_VERSION } from "./state-records.js";
export {
  type LockHolder,
  type LockIdentity,
  type LockOptions,
  type ResourceIntent,
  STATE_LOCK,
  type StateBackend,
  type StateLockHandle,
  type StateStore,
} from "./state-store.js";
export { withStateLock } from "./with-state-lock.js";
