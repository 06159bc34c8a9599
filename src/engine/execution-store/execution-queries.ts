import { WfError } from "../../diagnostics/index.js";
import type { SqlDatabase } from "../database/sql-database.js";
import type { ExecutionStatus, StepStatus } from "./execution-record.js";
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
    `SELECT ${SUMMARY_COLUMNS}, trigger_data, output FROM wfctl_executions WHERE id = $1`,
    [id],
  );
  if (row === undefined) return undefined;
  const steps = await db.query(
    "SELECT sequence_num, step_name, step_type, status, output, error, started_at, completed_at, duration_ms FROM wfctl_execution_steps WHERE execution_id = $1 ORDER BY sequence_num",
    [id],
  );
  const events = await db.query(
    "SELECT sequence_num, event_type, event_data, created_at FROM wfctl_execution_events WHERE execution_id = $1 ORDER BY sequence_num",
    [id],
  );
  return {
    execution: {
      ...summaryOf(row),
      trigger_data: parseJsonText(row.trigger_data),
      output: parseJsonText(row.output),
    },
    steps: steps.map((s) => ({
      sequence_num: Number(s.sequence_num),
      step_name: String(s.step_name),
      step_type: textOrNull(s.step_type),
      status: s.status as StepStatus,
      output: parseJsonText(s.output),
      error: textOrNull(s.error),
      started_at: timeOrNull(s.started_at),
      completed_at: timeOrNull(s.completed_at),
      duration_ms: numberOrNull(s.duration_ms),
    })),
    events: events.map((e) => ({
      sequence_num: Number(e.sequence_num),
      event_type: String(e.event_type),
      event_data: parseJsonText(e.event_data),
      created_at: timeOrNull(e.created_at) ?? "",
    })),
  };
}

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
