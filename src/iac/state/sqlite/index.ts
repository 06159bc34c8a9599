/**
 * The SQLite state backend: resources, plans, intents and locks as tables of one
 * database file (WAL, synchronous=FULL, busy timeout), shared safely by processes on
 * one machine.
 */
export { openSqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
