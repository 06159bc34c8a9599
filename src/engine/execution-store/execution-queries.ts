import { WfError } from "../../diagnostics/index.js";
import { iso } from "../../iso-time.js";
import type { SqlDatabase } from "../database/sql-database.js";
import { ExecutionRecord, type ExecutionStatus, type StepStatus } from "./execution-record.js";
import { EPOCH_MS_FROM, type StoredEvent } from "./execution-writer.js";
import { parseJsonText } from "./json-text.js";

/** One execution as `wfctl executions list` shows it. Times are ISO 8601 (UTC). */
export interface ExecutionSummary {
  readonly id: string;
  readonly pipeline: string;
  readonly status: ExecutionStatus;
  readonly trigger_type: string | null;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly duration_ms: number | null;
  readonly error: string | null;
  readonly tenant_id: string | null;
}

export interface ExecutionStepRow {
  readonly sequence_num: number;
  readonly step_name: string;
  readonly step_type: string | null;
  readonly status: StepStatus;
  readonly output: unknown;
  readonly error: string | null;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly duration_ms: number | null;
}

export interface ExecutionEventRow {
  readonly sequence_num: number;
  readonly event_type: string;
  readonly event_data: unknown;
  readonly created_at: string;
}

export interface ExecutionDetail {
  readonly execution: ExecutionSummary & {
    /** False when `record_data` left its trigger data and outputs out (they read null). */
    readonly data_recorded: boolean;
    readonly trigger_data: unknown;
    readonly output: unknown;
  };
  /** In the order they ran. */
  readonly steps: ExecutionStepRow[];
  /** In the order they were recorded. */
  readonly events: ExecutionEventRow[];
}

export interface ListExecutionsFilter {
  readonly pipeline?: string;
  readonly status?: ExecutionStatus;
  /** At most this many (default 20). */
  readonly limit?: number;
  /** Only executions started before this time (ISO 8601): the next page's cursor. */
  readonly before?: string;
}

const STATUSES: readonly string[] = ["running", "completed", "failed", "cancelled"];
const SUMMARY_COLUMNS =
  "id, pipeline, status, trigger_type, started_at, completed_at, duration_ms, error, tenant_id";

/** Newest first (ties by id, descending). */
export async function listExecutions(
  db: SqlDatabase,
  filter: ListExecutionsFilter = {},
): Promise<ExecutionSummary[]> {
  const limit = filter.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new WfError("WF_ERR_USAGE", `limit must be a positive whole number, not ${limit}`);
  }
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.pipeline !== undefined) {
    params.push(filter.pipeline);
    where.push(`pipeline = $${params.length}`);
  }
  if (filter.status !== undefined) {
    if (!STATUSES.includes(filter.status)) {
      throw new WfError(
        "WF_ERR_USAGE",
        `unknown execution status "${filter.status}"; use one of ${STATUSES.join(", ")}`,
      );
    }
    params.push(filter.status);
    where.push(`status = $${params.length}`);
    // Repeats the partial index's condition: SQLite does not infer it from `status = $n`.
    if (filter.status !== "completed") where.push("status <> 'completed'");
  }
  if (filter.before !== undefined) {
    const before = new Date(filter.before);
    if (Number.isNaN(before.getTime())) {
      throw new WfError(
        "WF_ERR_USAGE",
        `before must be a time such as 2025-01-31T12:00:00Z, not "${filter.before}"`,
      );
    }
    params.push(before.toISOString());
    where.push(`started_at < $${params.length}`);
  }
  params.push(limit);
  const rows = await db.query(
    `SELECT ${SUMMARY_COLUMNS} FROM wfctl_executions${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY started_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(summaryOf);
}

export async function getExecution(
  db: SqlDatabase,
  id: string,
): Promise<ExecutionDetail | undefined> {
  const [row] = await db.query(
    `SELECT ${SUMMARY_COLUMNS}, events FROM wfctl_executions WHERE id = $1`,
    [id],
  );
  if (row === undefined) return undefined;
  const summary = summaryOf(row);
  const execution = replay(id, parseJsonText(row.events), summary);
  return {
    execution: {
      ...summary,
      data_recorded: execution.dataRecorded,
      trigger_data: execution.triggerData ?? null,
      output: execution.output ?? null,
    },
    steps: execution.steps.map((s) => ({
      sequence_num: s.sequence,
      step_name: s.name,
      step_type: s.type ?? null,
      status: s.status ?? "failed",
      output: s.output ?? null,
      error: s.error ?? null,
      started_at: isoOrNull(s.startedAt),
      completed_at: isoOrNull(s.completedAt),
      duration_ms: s.durationMs ?? null,
    })),
    events: execution.events.map((e) => ({
      sequence_num: e.sequence,
      event_type: e.type,
      event_data: e.data,
      created_at: iso(e.at),
    })),
  };
}

/**
 * The execution its stored events describe. One the store ended itself (it closed
 * while the execution ran) has no end event: it is ended as the row says.
 */
function replay(id: string, stored: unknown, summary: ExecutionSummary): ExecutionRecord {
  const events = (Array.isArray(stored) ? stored : []) as StoredEvent[];
  const started = Date.parse(summary.started_at);
  const execution = new ExecutionRecord(id, started);
  for (const [, type, data, at] of events) {
    execution.apply(type, data ?? {}, at >= EPOCH_MS_FROM ? at : started + at);
  }
  if (execution.status === "running" && summary.status !== "running") {
    const ended = summary.completed_at === null ? Date.now() : Date.parse(summary.completed_at);
    execution.abandon(summary.error ?? summary.status, ended);
  }
  return execution;
}

const isoOrNull = (ms: number | undefined): string | null => (ms === undefined ? null : iso(ms));

function summaryOf(row: Record<string, unknown>): ExecutionSummary {
  return {
    id: String(row.id),
    pipeline: String(row.pipeline),
    status: row.status as ExecutionStatus,
    trigger_type: textOrNull(row.trigger_type),
    started_at: timeOrNull(row.started_at) ?? "",
    completed_at: timeOrNull(row.completed_at),
    duration_ms: numberOrNull(row.duration_ms),
    error: textOrNull(row.error),
    tenant_id: textOrNull(row.tenant_id),
  };
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** PostgreSQL gives Dates, SQLite the stored ISO text. */
function timeOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}
