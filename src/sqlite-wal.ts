import type Database from "better-sqlite3";

/**
 * Puts a SQLite database in WAL mode. Switching needs the database to itself, and
 * SQLite answers "database is locked" at once (no busy handler) while another
 * connection writes, so the switch is retried until `timeoutMs`; a database
 * already in WAL mode needs no switch.
 */
export function enableWal(db: Database.Database, timeoutMs: number): void {
  if (String(db.pragma("journal_mode", { simple: true })).toLowerCase() === "wal") return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw err;
      // A synchronous pause: the callers open databases synchronously.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}
