import pg from "pg";
import { redactDsn, WfError } from "../../diagnostics/index.js";
import { HISTORY_TABLE, type MigrationDatabase, STATE_TABLE } from "../migration-database.js";

/** The advisory lock key every wfctl migration run of a database takes ("wfmg"). */
const LOCK_KEY = 0x77666d67;

/**
 * A PostgreSQL database as a MigrationDatabase: one connection, holding a
 * session-level advisory lock for the whole run; each migration in a transaction
 * (PostgreSQL's DDL is transactional).
 */
export class PostgresMigrationDatabase implements MigrationDatabase {
  readonly dialect = "postgres";
  readonly display: string;
  readonly #client: pg.Client;

  private constructor(client: pg.Client, display: string) {
    this.#client = client;
    this.display = display;
  }

  static async connect(dsn: string): Promise<PostgresMigrationDatabase> {
    const display = redactDsn(dsn);
    const client = new pg.Client({ connectionString: dsn });
    // A server that goes away mid-run surfaces as the failing query's error.
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => {});
      throw new WfError(
        "WF_ERR_DATABASE",
        `cannot connect to ${display}: ${redactDsnIn((err as Error).message, dsn, display)}`,
      );
    }
    return new PostgresMigrationDatabase(client, display);
  }

  async exec(sql: string): Promise<void> {
    await this.#client.query(sql);
  }

  async query<T extends Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<T[]> {
    return (await this.#client.query<T>(sql, [...params])).rows;
  }

  async begin(): Promise<void> {
    await this.#client.query("BEGIN");
  }

  async commit(): Promise<void> {
    await this.#client.query("COMMIT");
  }

  async rollback(): Promise<void> {
    await this.#client.query("ROLLBACK").catch(() => {});
  }

  async prepare(): Promise<void> {
    await this.#client.query(`
      CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
        scope TEXT NOT NULL,
        version BIGINT NOT NULL,
        description TEXT NOT NULL,
        checksum TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL,
        duration_ms INTEGER,
        PRIMARY KEY (scope, version)
      );
      CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (
        scope TEXT PRIMARY KEY,
        version BIGINT,
        dirty BOOLEAN NOT NULL DEFAULT false,
        updated_at TIMESTAMPTZ NOT NULL
      );`);
  }

  async prepared(): Promise<boolean> {
    const { rows } = await this.#client.query<{ ok: boolean }>(
      "SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ok",
      [HISTORY_TABLE, STATE_TABLE],
    );
    return rows[0]?.ok === true;
  }

  async tryLock(): Promise<boolean> {
    const { rows } = await this.#client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock($1) AS locked",
      [LOCK_KEY],
    );
    return rows[0]?.locked === true;
  }

  async unlock(): Promise<void> {
    await this.#client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => {});
  }
}

/** pg's messages may quote the connection string: never print its password. */
function redactDsnIn(message: string, dsn: string, display: string): string {
  return message.split(dsn).join(display);
}
