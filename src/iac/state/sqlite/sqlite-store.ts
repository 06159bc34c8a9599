import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { IaCPlan, ResourceState } from "../../../contracts/index.js";
import { enableWal } from "../../../sqlite-wal.js";
import { ManagedStateStore } from "../managed-state-store.js";
import type { StateDriver } from "../state-driver.js";
import { checkFormatVersion, decodePayload, STATE_FORMAT_VERSION } from "../state-records.js";
import type { LockIdentity, ResourceIntent, StateStore } from "../state-store.js";
import { SqliteLocks } from "./sqlite-lock.js";

export interface SqliteStoreOptions {
  /** The database file; created (0600, in a 0700 folder) if missing. */
  readonly path: string;
  readonly identity: LockIdentity;
  /** How long a statement waits for another process's write lock (default 10 s). */
  readonly busyTimeoutMs?: number;
}

/** Version 1 of the schema; `wfctl_state_schema` records which version a database has. */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS wfctl_resources (
  name TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wfctl_plans (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, plan TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wfctl_intents (name TEXT PRIMARY KEY, intent TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wfctl_locks (
  name TEXT PRIMARY KEY, holder_id TEXT NOT NULL, expires_at TEXT NOT NULL, holder TEXT NOT NULL);
`;

/**
 * State in one SQLite database file (better-sqlite3): WAL with synchronous=FULL, so
 * every committed write is durable, and a busy timeout so processes sharing the file
 * wait for each other's short write transactions instead of failing.
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<StateStore> {
  const file = path.resolve(options.path);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the
  // database file's permissions, and state holds outputs, some sensitive.
  closeSync(openSync(file, "a", 0o600));
  const db = new Database(file);
  try {
    const busyTimeout = Math.trunc(options.busyTimeoutMs ?? 10_000);
    db.pragma(`busy_timeout = ${busyTimeout}`);
    enableWal(db, busyTimeout);
    db.pragma("synchronous = FULL");
    migrate(db, file);
    return new ManagedStateStore(new SqliteDriver(db, file), options.identity);
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Creates the tables of a new database, or checks an existing one's version. */
function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS wfctl_state_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
    );
    const row = db.prepare("SELECT version FROM wfctl_state_schema WHERE id = 1").get() as
      | { version: number }
      | undefined;
    if (row !== undefined) checkFormatVersion(row.version, `state database ${file}`);
    db.exec(SCHEMA_V1);
    if (row === undefined) {
      db.prepare("INSERT INTO wfctl_state_schema (id, version) VALUES (1, ?)").run(
        STATE_FORMAT_VERSION,
      );
    }
  }).immediate();
}

interface ResourceRow {
  readonly name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly record: string;
}

class SqliteDriver implements StateDriver {
  readonly backend = "sqlite";
  readonly location: string;
  readonly locks: SqliteLocks;
  readonly #db: Database.Database;
  readonly #statements;

  constructor(db: Database.Database, file: string) {
    this.#db = db;
    this.location = file;
    this.locks = new SqliteLocks(db, file);
    this.#statements = {
      putResource: db.prepare<[string, string, string, string]>(
        `INSERT INTO wfctl_resources (name, created_at, updated_at, record) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at, record = excluded.record`,
      ),
      getResource: db.prepare<[string], ResourceRow>(
        "SELECT name, created_at, updated_at, record FROM wfctl_resources WHERE name = ?",
      ),
      listResources: db.prepare<[], ResourceRow>(
        "SELECT name, created_at, updated_at, record FROM wfctl_resources",
      ),
      deleteResource: db.prepare<[string]>("DELETE FROM wfctl_resources WHERE name = ?"),
      putPlan: db.prepare<[string, string, string]>(
        `INSERT INTO wfctl_plans (id, created_at, plan) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, plan = excluded.plan`,
      ),
      getPlan: db.prepare<[string], { plan: string }>("SELECT plan FROM wfctl_plans WHERE id = ?"),
      putIntent: db.prepare<[string, string]>(
        `INSERT INTO wfctl_intents (name, intent) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET intent = excluded.intent`,
      ),
      deleteIntent: db.prepare<[string]>("DELETE FROM wfctl_intents WHERE name = ?"),
      listIntents: db.prepare<[], { name: string; intent: string }>(
        "SELECT name, intent FROM wfctl_intents",
      ),
    };
  }

  async putResource(state: ResourceState): Promise<void> {
    const { name, created_at, updated_at } = state;
    this.#statements.putResource.run(name, created_at, updated_at, JSON.stringify(state));
  }

  async getResource(name: string): Promise<ResourceState | undefined> {
    const row = this.#statements.getResource.get(name);
    return row === undefined ? undefined : this.#resource(row);
  }

  async listResources(): Promise<ResourceState[]> {
    return this.#statements.listResources.all().map((row) => this.#resource(row));
  }

  async deleteResource(name: string): Promise<void> {
    this.#statements.deleteResource.run(name);
  }

  async putPlan(plan: IaCPlan): Promise<void> {
    this.#statements.putPlan.run(plan.id, plan.created_at, JSON.stringify(plan));
  }

  async getPlan(id: string): Promise<IaCPlan | undefined> {
    const row = this.#statements.getPlan.get(id);
    return row === undefined ? undefined : decodePayload("plan", row.plan, this.#where("plan", id));
  }

  async putIntent(intent: ResourceIntent): Promise<void> {
    this.#statements.putIntent.run(intent.name, JSON.stringify(intent));
  }

  async deleteIntent(name: string): Promise<void> {
    this.#statements.deleteIntent.run(name);
  }

  async listIntents(): Promise<ResourceIntent[]> {
    return this.#statements.listIntents
      .all()
      .map((row) => decodePayload("intent", row.intent, this.#where("intent", row.name)));
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  /** The created_at and updated_at columns are authoritative: an upsert keeps created_at. */
  #resource(row: ResourceRow): ResourceState {
    const state = decodePayload("resource", row.record, this.#where("resource", row.name));
    return { ...state, created_at: row.created_at, updated_at: row.updated_at };
  }

  #where(kind: string, key: string): string {
    return `${this.location}: ${kind} "${key}"`;
  }
}
