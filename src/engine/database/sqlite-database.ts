import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { WfError } from "../../diagnostics/index.js";
import { type MigrationDatabase, SqliteMigrationDatabase } from "../../migrations/index.js";
import { enableWal } from "../../sqlite-wal.js";
import type { ExecResult, SqlDatabase } from "./sql-database.js";
import { insertsRows, numberedPlaceholders, sqliteParams } from "./sqlite-params.js";

export interface SqliteDatabaseOptions {
  /** The module's name, for messages. */
  readonly name: string;
  /** The database file (created, with its folder, if missing), or `:memory:`. */
  readonly path: string;
  /** How long a write waits for another process's lock (default 5 s); it blocks meanwhile. */
  readonly busyTimeoutMs?: number;
}

interface Prepared {
  readonly statement: Database.Statement;
  readonly inserts: boolean;
}

/** Prepared statements kept per SQL text; the oldest is dropped past this many. */
const STATEMENT_CACHE = 256;

/**
 * A SQLite database (better-sqlite3, one connection) as a SqlDatabase. Statements run
 * synchronously on the event loop, which is fast for the short queries of db steps.
 * Transactions are `BEGIN IMMEDIATE` on the shared connection, one at a time: others
 * wait in a queue, and so do statements issued outside a transaction while one is
 * open (otherwise they would silently become part of it). Inside `transaction(fn)`,
 * use the `tx` it passes; calling this object from `fn` would wait for `fn` forever.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = "sqlite";
  readonly name: string;
  /** The resolved file, or `:memory:`. */
  readonly file: string;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Prepared>();
  /** The last queued transaction; resolves (never rejects) when it has finished. */
  #tail: Promise<unknown> = Promise.resolve();
  #inTransaction = false;

  constructor(options: SqliteDatabaseOptions) {
    this.name = options.name;
    this.file = options.path === ":memory:" ? options.path : path.resolve(options.path);
    try {
      if (this.file !== ":memory:") mkdirSync(path.dirname(this.file), { recursive: true });
      this.#db = new Database(this.file);
    } catch (err) {
      throw new WfError(
        "WF_ERR_DATABASE",
        `database "${this.name}": cannot open SQLite database ${this.file}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const busyTimeout = Math.trunc(options.busyTimeoutMs ?? 5_000);
    this.#db.pragma(`busy_timeout = ${busyTimeout}`);
    enableWal(this.#db, busyTimeout);
    // An application database, not infrastructure state: in WAL mode NORMAL never
    // corrupts the file and survives a crash of this process; only a power loss or OS
    // crash may undo the last few commits. That buys far cheaper commits than FULL.
    this.#db.pragma("synchronous = NORMAL");
    this.#db.pragma("foreign_keys = ON");
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    while (this.#inTransaction) await this.#tail;
    return this.runQuery(sql, params);
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<ExecResult> {
    while (this.#inTransaction) await this.#tail;
    return this.runExecute(sql, params);
  }

  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.#db.exec("BEGIN IMMEDIATE");
      this.#inTransaction = true;
      try {
        const result = await fn(new SqliteTransaction(this, 0));
        this.#db.exec("COMMIT");
        return result;
      } catch (err) {
        if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
        throw err;
      } finally {
        this.#inTransaction = false;
      }
    };
    const done = this.#tail.then(run);
    this.#tail = done.catch(() => {});
    return done;
  }

  /**
   * The migrations runner on this connection (an in-memory database has no other);
   * closing it leaves this one open. Run migrations before serving traffic: they take
   * their own transactions on the shared connection.
   */
  async migrationDatabase(): Promise<MigrationDatabase> {
    return new SqliteMigrationDatabase(this.file, this.#db);
  }

  /** Waits for queued transactions, then closes the connection. */
  async close(): Promise<void> {
    await this.#tail;
    this.#statements.clear();
    if (this.#db.open) this.#db.close();
  }

  /** @internal Runs now, whatever transaction is open: for SqliteTransaction. */
  runQuery(sql: string, params?: readonly unknown[]): Record<string, unknown>[] {
    const { statement } = this.#prepare(sql);
    const bound = sqliteParams(params);
    if (statement.reader) return statement.all(bound) as Record<string, unknown>[];
    statement.run(bound);
    return [];
  }

  /** @internal Runs now, whatever transaction is open: for SqliteTransaction. */
  runExecute(sql: string, params?: readonly unknown[]): ExecResult {
    const { statement, inserts } = this.#prepare(sql);
    const info = statement.run(sqliteParams(params));
    return {
      affectedRows: info.changes,
      lastId: inserts && info.changes > 0 ? String(info.lastInsertRowid) : undefined,
    };
  }

  /** @internal */
  exec(sql: string): void {
    this.#db.exec(sql);
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#statements.get(sql);
    if (prepared === undefined) {
      prepared = {
        statement: this.#db.prepare(numberedPlaceholders(sql)),
        inserts: insertsRows(sql),
      };
      if (this.#statements.size >= STATEMENT_CACHE) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }
}

/** The `tx` of SqliteDatabase.transaction: runs on the open transaction; nests with savepoints. */
class SqliteTransaction implements SqlDatabase {
  readonly dialect = "sqlite";
  readonly name: string;
  readonly #db: SqliteDatabase;
  readonly #depth: number;

  constructor(db: SqliteDatabase, depth: number) {
    this.#db = db;
    this.#depth = depth;
    this.name = db.name;
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return this.#db.runQuery(sql, params);
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<ExecResult> {
    return this.#db.runExecute(sql, params);
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const savepoint = `wfctl_sp${this.#depth + 1}`;
    this.#db.exec(`SAVEPOINT ${savepoint}`);
    try {
      const result = await fn(new SqliteTransaction(this.#db, this.#depth + 1));
      this.#db.exec(`RELEASE ${savepoint}`);
      return result;
    } catch (err) {
      this.#db.exec(`ROLLBACK TO ${savepoint}`);
      this.#db.exec(`RELEASE ${savepoint}`);
      throw err;
    }
  }

  migrationDatabase(): Promise<MigrationDatabase> {
    return Promise.reject(new Error("migrations cannot run inside a transaction"));
  }

  close(): Promise<void> {
    return Promise.reject(new Error("close the database, not the transaction"));
  }
}
