import { maskSecrets } from "../../diagnostics/index.js";
import { iso } from "../../iso-time.js";
import type { SqlDatabase } from "../database/sql-database.js";
import {
  DATA_KEYS,
  DATA_RECORDED,
  type EventRecord,
  ExecutionEvent,
  type ExecutionRecord,
} from "./execution-record.js";
import { jsonArrayText, limitValues } from "./json-text.js";

/**
 * What one write covers: an ended execution's row, or an event (JSON) that came after
 * its execution was written. Executions are serialised as they end, so what waits in
 * the queue is text, not the execution's objects (which then die young).
 */
export type WriteUnit =
  | { readonly kind: "execution"; readonly row: unknown[] }
  | { readonly kind: "event"; readonly executionId: string; readonly event: string };

/** The rows of some units as plain values (text, numbers, null). */
export interface RowBatch {
  /** One row per ended execution, in EXECUTION_COLUMNS order. */
  readonly executions: unknown[][];
  /** [execution id, the event as JSON] for events that came after their execution was written. */
  readonly lateEvents: (readonly [string, string])[];
}

/** Where batches go: one transaction per batch; executions already there are kept. */
export interface BatchSink {
  write(batch: RowBatch): Promise<void>;
  close(): Promise<void>;
}

/** wfctl_executions' columns, with their PostgreSQL types (for unnest). */
export const EXECUTION_COLUMNS: readonly (readonly [string, string])[] = [
  ["id", "text"],
  ["pipeline", "text"],
  ["trigger_type", "text"],
  ["status", "text"],
  ["error", "text"],
  ["tenant_id", "text"],
  ["started_at", "timestamptz"],
  ["completed_at", "timestamptz"],
  ["duration_ms", "bigint"],
  ["events", "text"],
];

/** Appends one event (JSON) to an execution's events, in SQL of each dialect. */
export const APPEND_EVENT: Readonly<Record<SqlDatabase["dialect"], string>> = {
  sqlite:
    "UPDATE wfctl_executions SET events = json_insert(events, '$[#]', json($2)) WHERE id = $1",
  postgres:
    "UPDATE wfctl_executions SET events = (events::jsonb || jsonb_build_array($2::jsonb))::text WHERE id = $1",
};

/**
 * An ended execution as its row (EXECUTION_COLUMNS). Without `withData` its events
 * keep what they say about the run (names, types, statuses, timings, errors, routing)
 * but not its data: the trigger data and the outputs.
 */
export function executionUnit(e: ExecutionRecord, withData: boolean): WriteUnit {
  return {
    kind: "execution",
    row: [
      e.id,
      e.pipeline,
      e.triggerType ?? null,
      e.status,
      e.error ?? null,
      e.tenantId ?? null,
      iso(e.startedAt),
      e.completedAt === undefined ? null : iso(e.completedAt),
      e.durationMs ?? null,
      eventsJson(e.events, withData, e.startedAt),
    ],
  };
}

/** An event of an execution already written (`withData` as it was), appended to its events. */
export function lateEventUnit(
  executionId: string,
  event: EventRecord,
  withData: boolean,
): WriteUnit {
  // The stored form of a one-event array, without its brackets; its time is absolute.
  return { kind: "event", executionId, event: eventsJson([event], withData, 0).slice(1, -1) };
}

export function batchOf(units: readonly WriteUnit[]): RowBatch {
  const batch: RowBatch = { executions: [], lateEvents: [] };
  for (const unit of units) {
    if (unit.kind === "execution") batch.executions.push(unit.row);
    else batch.lateEvents.push([unit.executionId, unit.event]);
  }
  return batch;
}

/**
 * The events as stored: one JSON array of `[sequence, type, data, at]` (at: ms after
 * `since`), in one JSON.stringify; a data value too large to keep is stored as a
 * marker. Credentials are masked here, where data is written, and only in what is
 * written.
 */
function eventsJson(events: readonly EventRecord[], withData: boolean, since: number): string {
  return jsonArrayText(
    events.map(
      (e): StoredEvent => [
        e.sequence,
        e.type,
        maskSecrets(withData ? e.data : withoutData(e)) as Record<string, unknown>,
        // Small whole numbers: serialised much faster than epoch ms (doubles to V8).
        e.at - since,
      ],
    ),
    ([sequence, type, data, at]): StoredEvent => [sequence, type, limitValues(data), at],
  );
}

/**
 * An event's data without its DATA_KEYS (the same object when it has none); the
 * execution's start says its data was left out, so readers do not take it for empty.
 */
function withoutData({ type, data }: EventRecord): Record<string, unknown> {
  const started = type === ExecutionEvent.started;
  if (!started && !DATA_KEYS.some((key) => Object.hasOwn(data, key))) return data;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(data)) if (!DATA_KEYS.includes(key)) kept[key] = data[key];
  if (started) kept[DATA_RECORDED] = false;
  return kept;
}

/**
 * An event as the `events` column holds it: `at` is ms after the execution's
 * `started_at`, or epoch ms when at least EPOCH_MS_FROM (an event recorded after its
 * execution was written, and rows written before offsets were).
 */
export type StoredEvent = [
  sequence: number,
  type: string,
  data: Record<string, unknown>,
  at: number,
];

/** 2001-09-09 in epoch ms; an offset from an execution's start is never this large. */
export const EPOCH_MS_FROM = 1e12;

/**
 * Most rows per SQLite INSERT statement. Chunks are powers of two, so a handful of
 * statement texts cover every batch and the prepared-statement cache keeps hitting.
 */
const MAX_ROWS_PER_STATEMENT = 64;

/**
 * Writes through a SqlDatabase on this thread: PostgreSQL takes the rows as one
 * `unnest` of arrays (one statement however many rows); SQLite multi-row inserts.
 */
export class DatabaseSink implements BatchSink {
  readonly #db: SqlDatabase;

  constructor(db: SqlDatabase) {
    this.#db = db;
  }

  write(batch: RowBatch): Promise<void> {
    return this.#db.transaction(async (tx) => {
      if (batch.executions.length > 0) {
        if (tx.dialect === "postgres") await insertUnnest(tx, batch.executions);
        else await insertValues(tx, batch.executions);
      }
      for (const [id, event] of batch.lateEvents) {
        await tx.execute(APPEND_EVENT[tx.dialect], [id, event]);
      }
    });
  }

  async close(): Promise<void> {}
}

const NAMES = EXECUTION_COLUMNS.map(([name]) => name).join(", ");

async function insertUnnest(db: SqlDatabase, rows: unknown[][]) {
  const params = EXECUTION_COLUMNS.map((_, c) => rows.map((row) => row[c]));
  const arrays = EXECUTION_COLUMNS.map(([, type], c) => `$${c + 1}::${type}[]`).join(", ");
  await db.execute(
    `INSERT INTO wfctl_executions (${NAMES}) SELECT * FROM unnest(${arrays}) ON CONFLICT DO NOTHING`,
    params,
  );
}

async function insertValues(db: SqlDatabase, rows: unknown[][]) {
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
      `INSERT INTO wfctl_executions (${NAMES}) VALUES ${tuples.join(", ")} ON CONFLICT DO NOTHING`,
      params,
    );
  }
}
