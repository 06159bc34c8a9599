import pg from "pg";
import { checkFormatVersion, STATE_FORMAT_VERSION } from "../state-records.js";

/** Advisory-lock key (class, id) held while creating the tables: "wfct", 1. */
const MIGRATION_LOCK = [0x77666374, 1] as const;

/** Quoted, schema-qualified names of the state tables. */
export interface PostgresTables {
  readonly schema: string | undefined;
  readonly version: string;
  readonly resources: string;
  readonly plans: string;
  readonly intents: string;
  readonly locks: string;
}

export function postgresTables(schema: string | undefined, prefix = "wfctl_"): PostgresTables {
  // Longer names would be truncated by PostgreSQL (63 bytes) and could collide.
  if (Buffer.byteLength(prefix) > 40) {
    throw new RangeError(`table_prefix "${prefix}" is too long (at most 40 bytes)`);
  }
  const name = (table: string) =>
    schema === undefined
      ? pg.escapeIdentifier(prefix + table)
      : `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(prefix + table)}`;
  return {
    schema,
    version: name("state_schema"),
    resources: name("resources"),
    plans: name("plans"),
    intents: name("intents"),
    locks: name("locks"),
  };
}

function schemaV1(t: PostgresTables): string {
  return `
CREATE TABLE IF NOT EXISTS ${t.resources} (
  name text PRIMARY KEY, created_at text NOT NULL, updated_at text NOT NULL, record jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS ${t.plans} (id text PRIMARY KEY, created_at text NOT NULL, plan jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS ${t.intents} (name text PRIMARY KEY, intent jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS ${t.locks} (
  name text PRIMARY KEY, holder_id text NOT NULL, expires_at timestamptz NOT NULL, holder jsonb NOT NULL);`;
}

/**
 * Creates the state tables if they are missing, or checks the version of existing
 * ones (refusing a newer one). A database already set up needs no DDL, so a user
 * with only read/write grants can run wfctl; creation runs in one transaction under
 * an advisory lock, so concurrent first runs neither fail nor race.
 */
export async function migratePostgres(
  pool: pg.Pool,
  tables: PostgresTables,
  where: string,
): Promise<void> {
  if ((await readyVersion(pool, tables, where)) === STATE_FORMAT_VERSION) return;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [...MIGRATION_LOCK]);
    if (tables.schema !== undefined) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(tables.schema)}`);
    }
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${tables.version} (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)`,
    );
    const found = await recordedVersion(client, tables, where);
    await client.query(schemaV1(tables));
    if (found === undefined) {
      await client.query(`INSERT INTO ${tables.version} (id, version) VALUES (1, $1)`, [
        STATE_FORMAT_VERSION,
      ]);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** The recorded version if every table exists, else undefined; a newer one is refused. */
async function readyVersion(
  pool: pg.Pool,
  tables: PostgresTables,
  where: string,
): Promise<number | undefined> {
  const names = [tables.version, tables.resources, tables.plans, tables.intents, tables.locks];
  const { rows } = await pool.query<{ present: number; versioned: boolean }>(
    `SELECT count(to_regclass(n))::int AS present, to_regclass($2) IS NOT NULL AS versioned
     FROM unnest($1::text[]) AS n`,
    [names, tables.version],
  );
  if (!rows[0]?.versioned) return undefined;
  const version = await recordedVersion(pool, tables, where);
  return rows[0].present === names.length ? version : undefined;
}

async function recordedVersion(
  db: pg.Pool | pg.PoolClient,
  tables: PostgresTables,
  where: string,
): Promise<number | undefined> {
  const { rows } = await db.query<{ version: number }>(
    `SELECT version FROM ${tables.version} WHERE id = 1`,
  );
  const version = rows[0]?.version;
  if (version !== undefined) checkFormatVersion(version, `${where} (table ${tables.version})`);
  return version;
}
