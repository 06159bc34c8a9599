import pg from "pg";
import type { PipelineLogger } from "../../contracts/index.js";
import { redactDsn, WfError } from "../../diagnostics/index.js";
import { type MigrationDatabase, PostgresMigrationDatabase } from "../../migrations/index.js";
import type { ExecResult, SqlDatabase } from "./sql-database.js";

export interface PostgresDatabaseOptions {
  /** The module's name, for messages. */
  readonly name: string;
  /** Connection string; never printed: messages show it with the password masked. */
  readonly dsn: string;
  /** Maximum open connections (the module's `pool_size`); default 10. */
  readonly poolSize?: number;
  /** How long to wait for a connection, new or from a busy pool (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Where errors of idle pooled connections are reported (the pool replaces them). */
  readonly logger?: PipelineLogger;
}

const INT8_OID = 20;

/** bigint columns (count(*), bigserial ids) as numbers while exact, else as text. */
function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

// Per pool, so other pg users in the process keep pg's defaults.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

type Queryable = Pick<pg.PoolClient, "query">;

/**
 * A PostgreSQL connection pool as a SqlDatabase. `bigint` values come back as numbers
 * when exact (text beyond 2^53), `numeric` as text, timestamps as Dates. A write's
 * lastId is the `id` column of the first row its RETURNING clause gave.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = "postgres";
  readonly name: string;
  /** The DSN with its password masked, fit for messages. */
  readonly display: string;
  readonly #dsn: string;
  readonly #pool: pg.Pool;

  private constructor(options: PostgresDatabaseOptions) {
    this.name = options.name;
    this.#dsn = options.dsn;
    this.display = redactDsn(options.dsn);
    this.#pool = new pg.Pool({
      connectionString: options.dsn,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      types,
    });
    this.#pool.on("error", (err) => {
      options.logger?.warn(
        { database: this.name, error: this.#redact(err.message) },
        "database connection lost while idle; the pool opens a new one",
      );
    });
  }

  /** Opens the pool and checks that the server answers (WF_ERR_DATABASE when not). */
  static async connect(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
    const db = new PostgresDatabase(options);
    try {
      await db.query("SELECT 1");
    } catch (err) {
      await db.close();
      throw err;
    }
    return db;
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const client = await this.#acquire();
    try {
      return (await run(client, sql, params)).rows;
    } finally {
      client.release();
    }
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<ExecResult> {
    const client = await this.#acquire();
    try {
      return execResult(await run(client, sql, params));
    } finally {
      client.release();
    }
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const client = await this.#acquire();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      try {
        const result = await fn(new PostgresTransaction(this.name, client, 0));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        // A failed ROLLBACK means the connection is unusable: drop it from the pool.
        await client.query("ROLLBACK").catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw err;
      }
    } finally {
      client.release(broken);
    }
  }

  /** A separate connection for the migrations runner (it holds an advisory lock). */
  migrationDatabase(): Promise<MigrationDatabase> {
    return PostgresMigrationDatabase.connect(this.#dsn);
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  async #acquire(): Promise<pg.PoolClient> {
    try {
      return await this.#pool.connect();
    } catch (err) {
      throw new WfError(
        "WF_ERR_DATABASE",
        `database "${this.name}": cannot connect to ${this.display}: ${this.#redact((err as Error).message)}`,
      );
    }
  }

  /** pg's messages may quote the connection string or its password: mask both. */
  #redact(message: string): string {
    let text = message.split(this.#dsn).join(this.display);
    const password = passwordOf(this.#dsn);
    if (password !== undefined && password.length >= 4) text = text.split(password).join("***");
    return text;
  }
}

function passwordOf(dsn: string): string | undefined {
  try {
    const password = new URL(dsn).password;
    return password === "" ? undefined : decodeURIComponent(password);
  } catch {
    return /\bpassword\s*=\s*'?([^'\s]+)/i.exec(dsn)?.[1];
  }
}

function run(client: Queryable, sql: string, params: readonly unknown[] | undefined) {
  return client.query<Record<string, unknown>>(sql, params === undefined ? [] : [...params]);
}

function execResult(result: pg.QueryResult<Record<string, unknown>>): ExecResult {
  const id = result.rows[0]?.id;
  return {
    affectedRows: result.rowCount ?? 0,
    lastId: id === undefined || id === null ? undefined : String(id),
  };
}

/** The `tx` of PostgresDatabase.transaction: one pooled client; nests with savepoints. */
class PostgresTransaction implements SqlDatabase {
  readonly dialect = "postgres";
  readonly name: string;
  readonly #client: pg.PoolClient;
  readonly #depth: number;

  constructor(name: string, client: pg.PoolClient, depth: number) {
    this.name = name;
    this.#client = client;
    this.#depth = depth;
  }

  async query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return (await run(this.#client, sql, params)).rows;
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<ExecResult> {
    return execResult(await run(this.#client, sql, params));
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const savepoint = `wfctl_sp${this.#depth + 1}`;
    await this.#client.query(`SAVEPOINT ${savepoint}`);
    try {
      const result = await fn(new PostgresTransaction(this.name, this.#client, this.#depth + 1));
      await this.#client.query(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (err) {
      await this.#client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
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
