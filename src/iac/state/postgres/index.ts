/**
 * The PostgreSQL state backend, for teams and CI jobs sharing one state: jsonb tables
 * created on first use (under an advisory lock), locks as rows with holder and expiry,
 * failures classified by SQLSTATE.
 */
export { openPostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
