import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { WfError } from "../../diagnostics/index.js";
import { enableWal } from "../../sqlite-wal.js";
import { HISTORY_TABLE, type MigrationDatabase, STATE_TABLE } from "../migration-database.js";

const LOCK_TABLE = "wfctl_schema_lock";

/** How long a statement waits for another connection's write lock. */
const BUSY_TIMEOUT_MS = 30_000;

/**
 * A SQLite database file as a MigrationDatabase. Each migration runs in a
 * `BEGIN IMMEDIATE` transaction; the run lock is a row of `wfctl_schema_lock`
 * naming its holder (host and pid), so a holder that died does not block anyone.
 */
export class SqliteMigrationDatabase implements MigrationDatabase {
  readonly dialect = "sqlite";
  readonly display: string;
  readonly #db: Database.Database;
  /** False when the handle belongs to someone else (an engine module): close() leaves it open. */
  readonly #owned: boolean;
  // Host and pid tell whether a holder is still alive; the suffix tells runs of one process apart.
  readonly #owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

  /** Opens `file`, or migrates over an open handle (an in-memory database has no other). */
  constructor(file: string, handle?: Database.Database) {
    this.display = file;
    this.#owned = handle === undefined;
    try {
      this.#db = handle ?? new Database(file, { fileMustExist: false });
    } catch (err) {
      throw new WfError(
        "WF_ERR_DATABASE",
        `cannot open SQLite database ${file}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (this.#owned) {
      this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      enableWal(this.#db, BUSY_TIMEOUT_MS);
    }
  }

  async exec(sql: string): Promise<void> {
    this.#db.exec(sql);
  }

  async query<T extends Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<T[]> {
    // `$1` → `?1`, which better-sqlite3 binds by number from an object.
    const statement = this.#db.prepare(sql.replaceAll(/\$(\d+)/g, "?$1"));
    const bound = Object.fromEntries(params.map((value, i) => [i + 1, value]));
    if (statement.reader) return statement.all(bound) as T[];
    statement.run(bound);
    return [];
  }

  async begin(): Promise<void> {
    this.#db.exec("BEGIN IMMEDIATE");
  }

  async commit(): Promise<void> {
    this.#db.exec("COMMIT");
  }

  async rollback(): Promise<void> {
    if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
  }

  async prepare(): Promise<void> {
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
        scope TEXT NOT NULL,
        version INTEGER NOT NULL,
        description TEXT NOT NULL,
        checksum TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        duration_ms INTEGER,
        PRIMARY KEY (scope, version)
      );
      CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (
        scope TEXT PRIMARY KEY,
        version INTEGER,
        dirty INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      );`);
  }

  async prepared(): Promise<boolean> {
    const row = this.#db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)")
      .get(HISTORY_TABLE, STATE_TABLE) as { n: number };
    return row.n === 2;
  }

  async tryLock(): Promise<boolean> {
    this.#db.exec(
      `CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, acquired_at TEXT NOT NULL)`,
    );
    const take = this.#db.transaction((): boolean => {
      const row = this.#db.prepare(`SELECT owner FROM ${LOCK_TABLE} WHERE id = 1`).get() as
        | { owner: string }
        | undefined;
      if (row && row.owner !== this.#owner && ownerAlive(row.owner)) return false;
      this.#db
        .prepare(`INSERT OR REPLACE INTO ${LOCK_TABLE} (id, owner, acquired_at) VALUES (1, ?, ?)`)
        .run(this.#owner, new Date().toISOString());
      return true;
    });
    return take.immediate();
  }

  async unlock(): Promise<void> {
    this.#db.prepare(`DELETE FROM ${LOCK_TABLE} WHERE id = 1 AND owner = ?`).run(this.#owner);
  }

  async close(): Promise<void> {
    if (this.#owned && this.#db.open) this.#db.close();
  }
}

/** A holder on another host cannot be checked, so it counts as alive. */
function ownerAlive(owner: string): boolean {
  const [host, pid] = owner.split(":");
  if (host !== os.hostname()) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A `sqlite:` DSN (or a plain path) as the file it names, relative to `cwd`. */
export function sqliteFileOf(dsn: string, cwd: string): string {
  const file = dsn.replace(/^(?:sqlite3?|file):(?:\/\/)?/i, "");
  return file === ":memory:" ? file : path.resolve(cwd, file);
}
