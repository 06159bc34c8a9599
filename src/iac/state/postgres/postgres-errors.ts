import pg from "pg";
import { WfError } from "../../../diagnostics/index.js";

/** Node socket errors that mean the server could not be reached. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * Turns a PostgreSQL failure a person can fix into a WfError saying how, classified by
 * SQLSTATE (and by Node's socket error codes), never by message text. Anything else is
 * returned as it is, for the store to wrap with the operation that failed.
 */
export function postgresError(err: unknown, location: string): unknown {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return err;
  const advice = err instanceof pg.DatabaseError ? sqlStateAdvice(code) : socketAdvice(code);
  if (advice === undefined) return err;
  const detail = (err as Error).message;
  return new WfError("WF_ERR_STATE", `PostgreSQL state at ${location}: ${advice} (${detail})`, {
    cause: err,
  });
}

function sqlStateAdvice(sqlState: string): string | undefined {
  switch (sqlState) {
    case "28000":
    case "28P01":
      return "the server refused the login; check the user and password in the dsn";
    case "3D000":
      return "the database named in the dsn does not exist; create it or correct the dsn";
    case "3F000":
      return "the schema does not exist and could not be created; create it or correct `schema`";
    case "42501":
      return "the database user lacks a privilege wfctl needs; grant CREATE on the schema for the first run, then SELECT, INSERT, UPDATE and DELETE on the wfctl_* tables";
    case "53300":
      return "the server has no connection slots left; retry later or raise max_connections";
    case "25006":
      return "the server is read-only (a standby?); point the dsn at the primary";
    case "57P01":
    case "57P02":
    case "57P03":
      return "the server is shutting down or starting up; retry when it is available";
  }
  if (sqlState.startsWith("08"))
    return "the connection to the server failed; check that it is running and reachable";
  return undefined;
}

function socketAdvice(code: string): string | undefined {
  return UNREACHABLE.has(code)
    ? "cannot reach the server; check the host and port in the dsn and that PostgreSQL is running"
    : undefined;
}

export type PgQuery = <R extends pg.QueryResultRow>(
  sql: string,
  params?: readonly unknown[],
) => Promise<pg.QueryResult<R>>;

/** Runs queries on the pool with every parameter bound and failures classified. */
export function classifiedQuery(pool: pg.Pool, location: string): PgQuery {
  return async <R extends pg.QueryResultRow>(sql: string, params: readonly unknown[] = []) => {
    try {
      return await pool.query<R>(sql, [...params]);
    } catch (err) {
      throw postgresError(err, location);
    }
  };
}
