import type { MigrationDatabase } from "../../migrations/index.js";

/** What a write reports: rows changed, and the id of a row it inserted (as text). */
export interface ExecResult {
  readonly affectedRows: number;
  /** SQLite: the last inserted rowid; PostgreSQL: the `id` a RETURNING clause gave. */
  readonly lastId: string | undefined;
}

/**
 * A database module's connection, as db steps, the execution store and the tenant
 * registry use it. SQL uses `$1`, `$2`, … placeholders on both engines; parameters
 * are always bound, never spliced into the text.
 */
export interface SqlDatabase {
  readonly dialect: "sqlite" | "postgres";
  /** The module's name, for messages. */
  readonly name: string;
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<ExecResult>;
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  /** A connection for the migrations runner; close it when done. */
  migrationDatabase(): Promise<MigrationDatabase>;
  close(): Promise<void>;
}
