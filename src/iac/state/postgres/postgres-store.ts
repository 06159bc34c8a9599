import pg from "pg";
import type { IaCPlan, ResourceState } from "../../../contracts/index.js";
import { redactDsn } from "../../../diagnostics/redact-dsn.js";
import { ManagedStateStore } from "../managed-state-store.js";
import type { StateDriver } from "../state-driver.js";
import { decodePayload } from "../state-records.js";
import type { LockIdentity, ResourceIntent, StateStore } from "../state-store.js";
import { classifiedQuery, type PgQuery, postgresError } from "./postgres-errors.js";
import { PostgresLocks } from "./postgres-lock.js";
import { migratePostgres, type PostgresTables, postgresTables } from "./postgres-schema.js";

export interface PostgresStoreOptions {
  /** Connection string; never shown (messages use a redacted form). */
  readonly dsn: string;
  /** Schema of the state tables (created if missing); default: the search_path. */
  readonly schema?: string;
  /** Prefix of the state table names (default `wfctl_`), to keep several states in one schema. */
  readonly tablePrefix?: string;
  readonly identity: LockIdentity;
  /** Connections kept open (default 4). */
  readonly poolSize?: number;
}

/**
 * State in a PostgreSQL database, for teams and CI jobs sharing one state: jsonb
 * records in tables created on first use, every parameter bound, locks as rows.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<StateStore> {
  const location =
    options.schema === undefined
      ? redactDsn(options.dsn)
      : `${redactDsn(options.dsn)} (schema ${options.schema})`;
  const tables = postgresTables(options.schema, options.tablePrefix);
  const pool = new pg.Pool({
    connectionString: options.dsn,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: 15_000,
    application_name: "wfctl",
  });
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, it
  // would crash the process. The pool discards that connection and opens another.
  pool.on("error", () => {});
  try {
    await migratePostgres(pool, tables, location);
  } catch (err) {
    await pool.end().catch(() => {});
    throw postgresError(err, location);
  }
  return new ManagedStateStore(new PostgresDriver(pool, tables, location), options.identity);
}

interface ResourceRow {
  readonly name: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly record: unknown;
}

class PostgresDriver implements StateDriver {
  readonly backend = "postgres";
  readonly location: string;
  readonly locks: PostgresLocks;
  readonly #pool: pg.Pool;
  readonly #tables: PostgresTables;
  readonly #query: PgQuery;

  constructor(pool: pg.Pool, tables: PostgresTables, location: string) {
    this.#pool = pool;
    this.#tables = tables;
    this.location = location;
    this.#query = classifiedQuery(pool, location);
    this.locks = new PostgresLocks(this.#query, tables, location);
  }

  async putResource(state: ResourceState): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#tables.resources} (name, created_at, updated_at, record)
       VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (name) DO UPDATE SET updated_at = EXCLUDED.updated_at, record = EXCLUDED.record`,
      [state.name, state.created_at, state.updated_at, JSON.stringify(state)],
    );
  }

  async getResource(name: string): Promise<ResourceState | undefined> {
    const { rows } = await this.#query<ResourceRow>(
      `SELECT name, created_at, updated_at, record FROM ${this.#tables.resources} WHERE name = $1`,
      [name],
    );
    return rows[0] === undefined ? undefined : this.#resource(rows[0]);
  }

  async listResources(): Promise<ResourceState[]> {
    const { rows } = await this.#query<ResourceRow>(
      `SELECT name, created_at, updated_at, record FROM ${this.#tables.resources}`,
    );
    return rows.map((row) => this.#resource(row));
  }

  async deleteResource(name: string): Promise<void> {
    await this.#query(`DELETE FROM ${this.#tables.resources} WHERE name = $1`, [name]);
  }

  async putPlan(plan: IaCPlan): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#tables.plans} (id, created_at, plan) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at, plan = EXCLUDED.plan`,
      [plan.id, plan.created_at, JSON.stringify(plan)],
    );
  }

  async getPlan(id: string): Promise<IaCPlan | undefined> {
    const { rows } = await this.#query<{ plan: unknown }>(
      `SELECT plan FROM ${this.#tables.plans} WHERE id = $1`,
      [id],
    );
    return rows[0] === undefined
      ? undefined
      : decodePayload("plan", rows[0].plan, this.#where("plan", id));
  }

  async putIntent(intent: ResourceIntent): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#tables.intents} (name, intent) VALUES ($1, $2::jsonb)
       ON CONFLICT (name) DO UPDATE SET intent = EXCLUDED.intent`,
      [intent.name, JSON.stringify(intent)],
    );
  }

  async deleteIntent(name: string): Promise<void> {
    await this.#query(`DELETE FROM ${this.#tables.intents} WHERE name = $1`, [name]);
  }

  async listIntents(): Promise<ResourceIntent[]> {
    const { rows } = await this.#query<{ name: string; intent: unknown }>(
      `SELECT name, intent FROM ${this.#tables.intents}`,
    );
    return rows.map((row) => decodePayload("intent", row.intent, this.#where("intent", row.name)));
  }

  async close(): Promise<void> {
    await this.#pool.end();
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
