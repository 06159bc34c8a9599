import { iso } from "../../iso-time.js";
import type { SqlDatabase } from "../database/sql-database.js";
import type { EventRecord, ExecutionRecord } from "./execution-record.js";
import { jsonText } from "./json-text.js";

/** What one write covers: a finished execution, or events that came after it was written. */
export type WriteUnit =
  | { readonly kind: "execution"; readonly execution: ExecutionRecord }
  | { readonly kind: "events"; readonly executionId: string; readonly events: EventRecord[] };

/** The rows of some units, per table, as plain values (text, numbers, null). */
export interface RowBatch {
  readonly wfctl_executions: unknown[][];
  readonly wfctl_execution_steps: unknown[][];
  readonly wfctl_execution_events: unknown[][];
}

/** Where batches go: one transaction per batch; rows already there are kept. */
export interface BatchSink {
  write(batch: RowBatch): Promise<void>;
  close(): Promise<void>;
}

/** Each table's columns, with their PostgreSQL types (for unnest). */
export const TABLES: Readonly<Record<keyof RowBatch, readonly (readonly [string, string])[]>> = {
  wfctl_executions: [
    ["id", "text"],
    ["pipeline", "text"],
    ["trigger_type", "text"],
    ["status", "text"],
    ["trigger_data", "text"],
    ["output", "text"],
    ["error", "text"],
    ["tenant_id", "text"],
    ["started_at", "timestamptz"],
    ["completed_at", "timestamptz"],
    ["duration_ms", "bigint"],
  ],
  wfctl_execution_steps: [
    ["execution_id", "text"],
    ["sequence_num", "integer"],
    ["step_name", "text"],
    ["step_type", "text"],
    ["status", "text"],
    ["output", "text"],
    ["error", "text"],
    ["started_at", "timestamptz"],
    ["completed_at", "timestamptz"],
    ["duration_ms", "bigint"],
  ],
  wfctl_execution_events: [
    ["execution_id", "text"],
    ["sequence_num", "integer"],
    ["event_type", "text"],
    ["event_data", "text"],
    ["created_at", "timestamptz"],
  ],
};

/** Parents first, so foreign keys hold. */
export const TABLE_ORDER = [
  "wfctl_executions",
  "wfctl_execution_steps",
  "wfctl_execution_events",
] as const;

export function rowsOf(units: readonly WriteUnit[]): RowBatch {
  const batch: RowBatch = {
    wfctl_executions: [],
    wfctl_execution_steps: [],
    wfctl_execution_events: [],
  };
  for (const unit of units) {
    if (unit.kind === "events") {
      for (const event of unit.events) {
        batch.wfctl_execution_events.push(eventRow(unit.executionId, event));
      }
      continue;
    }
    const e = unit.execution;
    batch.wfctl_executions.push([
      e.id,
      e.pipeline,
      e.triggerType ?? null,
      e.status,
      jsonText(e.triggerData),
      jsonText(e.output),
      e.error ?? null,
      e.tenantId ?? null,
      iso(e.startedAt),
      isoOrNull(e.completedAt),
      e.durationMs ?? null,
    ]);
    for (const s of e.steps) {
      batch.wfctl_execution_steps.push([
        e.id,
        s.sequence,
        s.name,
        s.type ?? null,
        s.status ?? "failed",
        jsonText(s.output),
        s.error ?? null,
        isoOrNull(s.startedAt),
        isoOrNull(s.completedAt),
        s.durationMs ?? null,
      ]);
    }
    for (const event of e.events) batch.wfctl_execution_events.push(eventRow(e.id, event));
  }
  return batch;
}

function eventRow(executionId: string, event: EventRecord): unknown[] {
  return [executionId, event.sequence, event.type, jsonText(event.data), iso(event.at)];
}

/**
 * Most rows per SQLite INSERT statement. Chunks are powers of two, so a handful of
 * statement texts cover every batch and the prepared-statement cache keeps hitting.
 */
const MAX_ROWS_PER_STATEMENT = 256;

/**
 * Writes through a SqlDatabase on this thread: PostgreSQL takes each table's rows
 * as one `unnest` of arrays (one statement however many rows); SQLite multi-row inserts.
 */
export class DatabaseSink implements BatchSink {
  readonly #db: SqlDatabase;

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  write(batch: RowBatch): Promise<void> {
    return this.#db.transaction(async (tx) => {
      for (const table of TABLE_ORDER) {
        const rows = batch[table];
        if (rows.length === 0) continue;
        if (tx.dialect === "postgres") await insertUnnest(tx, table, rows);
        else await insertValues(tx, table, rows);
      }
    });
  }

  async close(): Promise<void> {}
}

async function insertUnnest(db: SqlDatabase, table: keyof RowBatch, rows: unknown[][]) {
  const columns = TABLES[table];
  const params = columns.map((_, c) => rows.map((row) => row[c]));
  const arrays = columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(", ");
  await db.execute(
    `INSERT INTO ${table} (${columns.map(([name]) => name).join(", ")}) SELECT * FROM unnest(${arrays}) ON CONFLICT DO NOTHING`,
    params,
  );
}

async function insertValues(db: SqlDatabase, table: keyof RowBatch, rows: unknown[][]) {
  const names = TABLES[table].map(([name]) => name).join(", ");
  for (let start = 0; start < rows.length; ) {
    let size = MAX_ROWS_PER_STATEMENT;
    while (size > rows.length - start) size /= 2;
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(start, start + size)) {
      const base = params.length;
      tuples.push(`(${row.map((_, i) => `$${base + i + 1}`).join(", ")})`);
      params.push(...row);
    }
    start += size;
    await db.execute(
      `INSERT INTO ${table} (${names}) VALUES ${tuples.join(", ")} ON CONFLICT DO NOTHING`,
      params,
    );
  }
}

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : iso(ms);
}
