import { WfError } from "../diagnostics/index.js";
import { PostgresMigrationDatabase } from "./drivers/postgres-database.js";
import { SqliteMigrationDatabase, sqliteFileOf } from "./drivers/sqlite-database.js";
import type { MigrationDatabase } from "./migration-database.js";

/**
 * The database a DSN names: `postgres://` / `postgresql://` (PostgreSQL), or
 * `sqlite:PATH`, `sqlite://PATH`, `file:PATH` and paths ending in `.db`, `.sqlite`
 * or `.sqlite3` (SQLite, relative to `cwd`).
 */
export async function openMigrationDatabase(
  dsn: string,
  cwd = process.cwd(),
): Promise<MigrationDatabase> {
  if (/^postgres(?:ql)?:\/\//i.test(dsn)) return PostgresMigrationDatabase.connect(dsn);
  if (/^(?:sqlite3?|file):/i.test(dsn) || /\.(?:db|sqlite3?)$/i.test(dsn)) {
    return new SqliteMigrationDatabase(sqliteFileOf(dsn, cwd));
  }
  throw new WfError(
    "WF_ERR_USAGE",
    "the DSN names no database wfctl migrates: use postgres://… for PostgreSQL or sqlite:PATH for SQLite",
  );
}
