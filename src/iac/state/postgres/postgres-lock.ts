import type { LockDriver } from "../state-driver.js";
import { decodePayload } from "../state-records.js";
import type { LockHolder } from "../state-store.js";
import type { PgQuery } from "./postgres-errors.js";
import type { PostgresTables } from "./postgres-schema.js";

/**
 * Locks as rows of the locks table (holder JSON, expires_at), shared by every process
 * and machine using the database. Each method is one atomic statement: creation is
 * INSERT … ON CONFLICT DO NOTHING, and replace/release match the holder id, so of two
 * processes taking over the same stale lock exactly one updates the row.
 */
export class PostgresLocks implements LockDriver {
  readonly #query: PgQuery;
  readonly #table: string;
  readonly #location: string;

  constructor(query: PgQuery, tables: PostgresTables, location: string) {
    this.#query = query;
    this.#table = tables.locks;
    this.#location = location;
  }

  async create(name: string, holder: LockHolder): Promise<boolean> {
    const { rowCount } = await this.#query(
      `INSERT INTO ${this.#table} (name, holder_id, expires_at, holder) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (name) DO NOTHING`,
      [name, holder.id, holder.expires_at, JSON.stringify(holder)],
    );
    return rowCount === 1;
  }

  async read(name: string): Promise<LockHolder | undefined> {
    const { rows } = await this.#query<{ holder: unknown }>(
      `SELECT holder FROM ${this.#table} WHERE name = $1`,
      [name],
    );
    return rows[0] === undefined ? undefined : this.#decode(name, rows[0].holder);
  }

  async replace(name: string, expectedId: string, next: LockHolder): Promise<boolean> {
    const { rowCount } = await this.#query(
      `UPDATE ${this.#table} SET holder_id = $1, expires_at = $2, holder = $3::jsonb
       WHERE name = $4 AND holder_id = $5`,
      [next.id, next.expires_at, JSON.stringify(next), name, expectedId],
    );
    return rowCount === 1;
  }

  async release(name: string, id: string): Promise<boolean> {
    const { rowCount } = await this.#query(
      `DELETE FROM ${this.#table} WHERE name = $1 AND holder_id = $2`,
      [name, id],
    );
    return rowCount === 1;
  }

  async remove(name: string): Promise<LockHolder | undefined> {
    const { rows } = await this.#query<{ holder: unknown }>(
      `DELETE FROM ${this.#table} WHERE name = $1 RETURNING holder`,
      [name],
    );
    return rows[0] === undefined ? undefined : this.#decode(name, rows[0].holder);
  }

  #decode(name: string, holder: unknown): LockHolder {
    return decodePayload("lock", holder, `${this.#location}: lock "${name}"`);
  }
}
