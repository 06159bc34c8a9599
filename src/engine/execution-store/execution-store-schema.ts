import type { MigrationSource } from "../../contracts/index.js";
import type { SqlDatabase } from "../database/sql-database.js";

/**
 * The execution store's table, one migration per dialect: one row per execution with
 * what lists filter and sort on, and its events. Times are ISO 8601 text on SQLite
 * (toISOString's fixed format sorts by time) and timestamptz on PostgreSQL. `events`
 * is a JSON array of `[sequence, type, data, at]` (at: ms after started_at), the source the
 * execution's steps, trigger data and output are materialised from when it is read
 * (as upstream's GetTimeline does): written once per execution, in one insert.
 */
/** The column types that differ between the dialects. */
interface DialectTypes {
  readonly time: string;
  readonly duration: string;
}

const TYPES: Readonly<Record<SqlDatabase["dialect"], DialectTypes>> = {
  sqlite: { time: "TEXT", duration: "INTEGER" },
  postgres: { time: "TIMESTAMPTZ", duration: "BIGINT" },
};

const up = ({ time, duration }: DialectTypes) => `
CREATE TABLE IF NOT EXISTS wfctl_executions (
  id TEXT PRIMARY KEY,
  pipeline TEXT NOT NULL,
  trigger_type TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
  error TEXT,
  tenant_id TEXT,
  started_at ${time} NOT NULL,
  completed_at ${time},
  duration_ms ${duration},
  events TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS wfctl_executions_started ON wfctl_executions (started_at DESC);
CREATE INDEX IF NOT EXISTS wfctl_executions_pipeline ON wfctl_executions (pipeline, started_at DESC);
CREATE INDEX IF NOT EXISTS wfctl_executions_status ON wfctl_executions (status, started_at DESC);
`;

const DOWN = `
DROP TABLE IF EXISTS wfctl_executions;
`;

/**
 * Status lookups are for executions that did not complete (`--status failed`): an
 * index of those only spares every completed execution's insert one B-tree (1–4 µs
 * of SQLite's ~19 per execution, measured in isolation); completed ones are most
 * rows, found fast enough through started_at.
 */
const UNFINISHED_INDEX_UP = `
DROP INDEX IF EXISTS wfctl_executions_status;
CREATE INDEX IF NOT EXISTS wfctl_executions_unfinished ON wfctl_executions (status, started_at DESC) WHERE status <> 'completed';
`;

const UNFINISHED_INDEX_DOWN = `
DROP INDEX IF EXISTS wfctl_executions_unfinished;
CREATE INDEX IF NOT EXISTS wfctl_executions_status ON wfctl_executions (status, started_at DESC);
`;

/** The store's migrations for a database of `dialect`. */
export function executionStoreMigrations(dialect: SqlDatabase["dialect"]): MigrationSource {
  return {
    files: {
      "1_execution_store.up.sql": up(TYPES[dialect]),
      "1_execution_store.down.sql": DOWN,
      "2_unfinished_index.up.sql": UNFINISHED_INDEX_UP,
      "2_unfinished_index.down.sql": UNFINISHED_INDEX_DOWN,
    },
  };
}
