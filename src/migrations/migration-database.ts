import type { SqlDialect } from "./sql-statements.js";

/** A row of the history table: one applied migration of one scope. */
export interface AppliedMigration {
  readonly version: number;
  readonly description: string;
  readonly checksum: string;
  /** RFC 3339. */
  readonly appliedAt: string;
  /** Absent for a version set by `repair`. */
  readonly durationMs: number | undefined;
}

/** A scope's version; undefined version = nothing applied. */
export interface MigrationState {
  readonly version: number | undefined;
  readonly dirty: boolean;
}

/**
 * One connection to the database being migrated, as the runner needs it. Queries
 * use `$1`-style parameters on both engines. The history lives in
 * `wfctl_schema_migrations` (a row per applied version and scope) and the version
 * and dirty flag in `wfctl_schema_state` (a row per scope).
 */
export interface MigrationDatabase {
  readonly dialect: SqlDialect;
  /** Where it is, fit for messages (a DSN's password is masked). */
  readonly display: string;
  /** Runs one statement of a migration. */
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Creates the runner's tables when missing (called under the lock). */
  prepare(): Promise<void>;
  /** Whether the runner's tables exist (reads never create them). */
  prepared(): Promise<boolean>;
  /** Takes the run lock if free; true when taken. */
  tryLock(): Promise<boolean>;
  unlock(): Promise<void>;
  close(): Promise<void>;
}

export const HISTORY_TABLE = "wfctl_schema_migrations";
export const STATE_TABLE = "wfctl_schema_state";
