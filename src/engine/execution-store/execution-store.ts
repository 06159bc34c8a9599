import type {
  CallOptions,
  EventRecorder,
  MigrationProvider,
  MigrationSource,
  PipelineLogger,
} from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { iso } from "../../iso-time.js";
import type { SqlDatabase } from "../database/sql-database.js";
import { SqliteDatabase } from "../database/sqlite-database.js";
import {
  type ExecutionDetail,
  type ExecutionSummary,
  getExecution,
  type ListExecutionsFilter,
  listExecutions,
} from "./execution-queries.js";
import { ExecutionRecord } from "./execution-record.js";
import { executionStoreMigrations } from "./execution-store-schema.js";
import { type BatchSink, DatabaseSink, rowsOf, type WriteUnit } from "./execution-writer.js";
import { SqliteWorkerSink } from "./sqlite-worker-sink.js";

/** Which executions are written: all, only failed ones, or none. */
export type RecordMode = "all" | "failed" | "none";

export interface ExecutionStoreOptions {
  readonly database: SqlDatabase;
  /** Where recording failures go; they never fail a pipeline. */
  readonly logger: PipelineLogger;
  /** Default `all`. `failed` writes executions that failed (not cancelled ones). */
  readonly record?: RecordMode;
  /** Milliseconds: finished executions older than this are deleted. Unset keeps them. */
  readonly retention?: number;
  /** Group commit: ended executions are written at most this long after (default 5 ms)… */
  readonly flushIntervalMs?: number;
  /** …or as soon as this many are waiting (default 200); also the most per transaction. */
  readonly batchSize?: number;
  /**
   * SQLite files are written from a worker thread with its own connection (default
   * true), so inserts never take the event loop; false writes through `database`.
   * PostgreSQL and `:memory:` databases are always written through `database`.
   */
  readonly backgroundWriter?: boolean;
  /** The clock, in ms since the epoch (default Date.now). */
  readonly now?: () => number;
}

/** Ended executions waiting to be written; past this the oldest are dropped (and logged). */
const MAX_QUEUED = 20_000;
/** Ended executions remembered, so events arriving after the end are kept with them. */
const ENDED_MEMORY = 10_000;
const PURGE_EVERY_MS = 60 * 60 * 1000;
/** Executions deleted per retention transaction, so a large purge does not stall traffic. */
const PURGE_CHUNK = 500;
const DONE: Promise<void> = Promise.resolve();

interface Ended {
  readonly written: boolean;
  next: number;
}

/**
 * Records pipeline executions (the engine's EventRecorder) in a SQL database, and
 * reads them back for the CLI. Events are buffered per execution in memory and never
 * wait for the disk: when an execution ends, its execution row, step rows and events
 * are queued, and the queue is written in one transaction a few milliseconds later
 * (group commit). An execution that has not ended is not visible yet.
 */
export class ExecutionStore implements EventRecorder, MigrationProvider {
  readonly #db: SqlDatabase;
  readonly #logger: PipelineLogger;
  readonly #record: RecordMode;
  readonly #retention: number | undefined;
  readonly #flushIntervalMs: number;
  readonly #batchSize: number;
  readonly #now: () => number;
  readonly #sink: BatchSink;
  readonly #running = new Map<string, ExecutionRecord>();
  readonly #ended = new Map<string, Ended>();
  #queue: WriteUnit[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #purgeTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #dropped = 0;

  constructor(options: ExecutionStoreOptions) {
    this.#db = options.database;
    this.#logger = options.logger;
    this.#record = options.record ?? "all";
    this.#retention = options.retention;
    this.#flushIntervalMs = options.flushIntervalMs ?? 5;
    this.#batchSize = Math.max(1, options.batchSize ?? 200);
    this.#now = options.now ?? Date.now;
    const db = options.database;
    this.#sink =
      options.backgroundWriter !== false && db instanceof SqliteDatabase && db.file !== ":memory:"
        ? new SqliteWorkerSink(db.file)
        : new DatabaseSink(db);
  }

  providesMigrations(): Promise<MigrationSource> {
    return Promise.resolve(executionStoreMigrations(this.#db.dialect));
  }

  migrationsDependencies(): string[] {
    return [];
  }

  /**
   * Checks the tables exist (WF_ERR_DATABASE when not: the migrations have not run),
   * then applies the retention now and every hour.
   */
  async start(): Promise<void> {
    try {
      await this.#db.query("SELECT id FROM wfctl_executions LIMIT 1");
    } catch (err) {
      if (WfError.is(err)) throw err;
      throw new WfError(
        "WF_ERR_DATABASE",
        `execution store: database "${this.#db.name}" has no wfctl_executions table (${(err as Error).message}); apply the execution store's migrations first`,
        { cause: err },
      );
    }
    if (this.#retention === undefined || this.#purgeTimer !== undefined) return;
    await this.#purgeLogged();
    this.#purgeTimer = setInterval(() => void this.#purgeLogged(), PURGE_EVERY_MS);
    this.#purgeTimer.unref();
  }

  /** Never throws and never waits for the database. */
  recordEvent(
    executionID: string,
    eventType: string,
    data: Record<string, unknown>,
    _opts?: CallOptions,
  ): Promise<void> {
    if (this.#record === "none" || this.#closed) return DONE;
    try {
      this.#apply(executionID, eventType, data ?? {});
    } catch (err) {
      this.#logger.error(
        { execution_id: executionID, event_type: eventType, error: (err as Error).message },
        "execution store: could not record an event",
      );
    }
    return DONE;
  }

  /** Resolves when every execution that has ended so far is written (or failed to be). */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#writing !== undefined) {
      this.#startWriting();
      await this.#writing;
    }
  }

  /**
   * Stops recording: executions still running are written as cancelled, then
   * everything pending is flushed. The database stays open (it is not the store's).
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      clearInterval(this.#purgeTimer);
      const at = this.#now();
      for (const execution of this.#running.values()) {
        execution.abandon("the execution store closed before the execution ended", at);
        this.#finish(execution);
      }
      this.#running.clear();
    }
    await this.flush();
    await this.#sink.close();
  }

  /** Deletes finished executions older than the retention; returns how many. */
  async purge(): Promise<number> {
    if (this.#retention === undefined) return 0;
    const cutoff = iso(this.#now() - this.#retention);
    let deleted = 0;
    for (;;) {
      const rows = await this.#db.query(
        `SELECT id FROM wfctl_executions WHERE started_at < $1 AND completed_at < $1 LIMIT ${PURGE_CHUNK}`,
        [cutoff],
      );
      if (rows.length === 0) return deleted;
      const ids = rows.map((row) => row.id);
      const list = ids.map((_, i) => `$${i + 1}`).join(", ");
      deleted += await this.#db.transaction(async (tx) => {
        await tx.execute(`DELETE FROM wfctl_execution_events WHERE execution_id IN (${list})`, ids);
        await tx.execute(`DELETE FROM wfctl_execution_steps WHERE execution_id IN (${list})`, ids);
        return (await tx.execute(`DELETE FROM wfctl_executions WHERE id IN (${list})`, ids))
          .affectedRows;
      });
      if (rows.length < PURGE_CHUNK) return deleted;
    }
  }

  listExecutions(filter?: ListExecutionsFilter): Promise<ExecutionSummary[]> {
    return listExecutions(this.#db, filter);
  }

  getExecution(id: string): Promise<ExecutionDetail | undefined> {
    return getExecution(this.#db, id);
  }

  #apply(id: string, type: string, data: Record<string, unknown>): void {
    const at = this.#now();
    let execution = this.#running.get(id);
    if (execution === undefined) {
      const ended = this.#ended.get(id);
      if (ended !== undefined) {
        // After its end (compensation reported late, say): kept with the written execution.
        if (ended.written) {
          this.#enqueue({
            kind: "events",
            executionId: id,
            events: [{ sequence: ended.next++, type, data, at }],
          });
        }
        return;
      }
      execution = new ExecutionRecord(id, at);
      this.#running.set(id, execution);
    }
    if (execution.apply(type, data, at)) {
      this.#running.delete(id);
      this.#finish(execution);
    }
  }

  #finish(execution: ExecutionRecord): void {
    const written = this.#record === "all" || execution.status === "failed";
    this.#ended.set(execution.id, { written, next: execution.nextEventSequence });
    if (this.#ended.size > ENDED_MEMORY) {
      const oldest = this.#ended.keys().next().value;
      if (oldest !== undefined) this.#ended.delete(oldest);
    }
    if (execution.droppedEvents > 0) {
      this.#logger.warn(
        { execution_id: execution.id, dropped_events: execution.droppedEvents },
        "execution store: execution had too many events; the later ones were not kept",
      );
    }
    if (written) this.#enqueue({ kind: "execution", execution });
  }

  #enqueue(unit: WriteUnit): void {
    if (this.#queue.length >= MAX_QUEUED) {
      this.#queue.shift();
      if (this.#dropped++ % 1000 === 0) {
        this.#logger.error(
          { database: this.#db.name, dropped: this.#dropped },
          "execution store: the database is not keeping up; dropping the oldest unwritten executions",
        );
      }
    }
    this.#queue.push(unit);
    if (this.#queue.length >= this.#batchSize) this.#startWriting();
    else this.#timer ??= setTimeout(() => this.#startWriting(), this.#flushIntervalMs);
  }

  /** One writer at a time; what ends while it writes goes in its next transaction. */
  #startWriting(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#writing !== undefined || this.#queue.length === 0) return;
    this.#writing = (async () => {
      try {
        while (this.#queue.length > 0) await this.#write(this.#queue.splice(0, this.#batchSize));
      } finally {
        this.#writing = undefined;
      }
    })();
  }

  /** Never throws: a failed batch is retried unit by unit, so one bad row loses only itself. */
  async #write(units: WriteUnit[]): Promise<void> {
    try {
      await this.#sink.write(rowsOf(units));
      return;
    } catch (err) {
      if (units.length === 1 || WfError.is(err)) return this.#writeFailed(units.length, err);
    }
    let failed = 0;
    let first: unknown;
    for (const unit of units) {
      try {
        await this.#sink.write(rowsOf([unit]));
      } catch (err) {
        failed++;
        first ??= err;
      }
    }
    if (failed > 0) this.#writeFailed(failed, first);
  }

  #writeFailed(count: number, err: unknown): void {
    this.#logger.error(
      { database: this.#db.name, executions: count, error: (err as Error).message },
      `execution store: could not record ${count} execution${count === 1 ? "" : "s"}`,
    );
  }

  async #purgeLogged(): Promise<void> {
    try {
      const deleted = await this.purge();
      if (deleted > 0) {
        this.#logger.info({ deleted }, "execution store: deleted executions past the retention");
      }
    } catch (err) {
      this.#logger.error(
        { database: this.#db.name, error: (err as Error).message },
        "execution store: could not delete executions past the retention",
      );
    }
  }
}
