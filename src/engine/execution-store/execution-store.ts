import type {
  CallOptions,
  MigrationProvider,
  MigrationSource,
  PipelineLogger,
} from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import { iso } from "../../iso-time.js";
import type { SqlDatabase } from "../database/sql-database.js";
import { SqliteDatabase } from "../database/sqlite-database.js";
import type { ExecutionEvents, ExecutionEventsRecorder } from "../pipeline/execution-events.js";
import {
  type ExecutionDetail,
  type ExecutionSummary,
  getExecution,
  type ListExecutionsFilter,
  listExecutions,
} from "./execution-queries.js";
import { ExecutionRecord } from "./execution-record.js";
import { executionStoreMigrations } from "./execution-store-schema.js";
import {
  type BatchSink,
  batchOf,
  DatabaseSink,
  executionUnit,
  lateEventUnit,
  type WriteUnit,
} from "./execution-writer.js";
import { SqliteWorkerSink } from "./sqlite-worker-sink.js";

/** Which executions are written: all, only failed ones, or none. */
export type RecordMode = "all" | "failed" | "none";

/**
 * Whose data (trigger data, step outputs, output) is written with them: every
 * execution's, only that of executions that did not complete (failed, cancelled) or
 * were traced, or nobody's.
 */
export type RecordDataMode = "all" | "failed" | "none";

export interface ExecutionStoreOptions {
  readonly database: SqlDatabase;
  /** Where recording failures go; they never fail a pipeline. */
  readonly logger: PipelineLogger;
  /** Default `all`. `failed` writes executions that failed (not cancelled ones). */
  readonly record?: RecordMode;
  /**
   * Default `failed`: completed executions are written with their steps, timings
   * and events but without their data, unless traced; privacy and cost both say so.
   */
  readonly recordData?: RecordDataMode;
  /** Milliseconds: finished executions older than this are deleted. Unset keeps them. */
  readonly retention?: number;
  /**
   * Group commit: ended executions are written at most this long after (default
   * 50 ms)… Larger transactions cost SQLite less per execution: measured 18 µs at 30
   * per transaction, 13 µs at 300.
   */
  readonly flushIntervalMs?: number;
  /** …or as soon as this many are waiting (default 500); also the most per transaction. */
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
/**
 * Ended executions remembered (the last 5,000 to 10,000), so events arriving after
 * the end are kept with them.
 */
const ENDED_GENERATION = 5_000;
const NOT_WRITTEN = 0;
const PURGE_EVERY_MS = 60 * 60 * 1000;
/** Executions deleted per statement, so a large purge does not stall traffic. */
const PURGE_CHUNK = 500;
const DONE: Promise<void> = Promise.resolve();

/**
 * Records pipeline executions (the engine's EventRecorder) in a SQL database, and
 * reads them back for the CLI. Events are buffered per execution in memory and never
 * wait for the disk: when an execution ends, its row (summary and events) is
 * serialised and queued, and the queue is written in one transaction when it is full
 * or at the flush interval (group commit). An execution that has not ended is not
 * visible yet.
 */
export class ExecutionStore implements ExecutionEventsRecorder, MigrationProvider {
  readonly #db: SqlDatabase;
  readonly #logger: PipelineLogger;
  #record: RecordMode;
  #recordData: RecordDataMode;
  #retention: number | undefined;
  readonly #flushIntervalMs: number;
  readonly #batchSize: number;
  readonly #now: () => number;
  readonly #sink: BatchSink;
  readonly #running = new Map<string, ExecutionRecord>();
  /**
   * Recently ended executions → the sequence number of their next event, negated when
   * the execution was written without its data, or NOT_WRITTEN (a number, not an
   * object per execution: these outlive a young GC). Two generations, the older
   * dropped whole when the newer is full: no deletion per execution.
   */
  #ended = new Map<string, number>();
  #endedBefore = new Map<string, number>();
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
    this.#recordData = options.recordData ?? "failed";
    this.#retention = options.retention;
    this.#flushIntervalMs = options.flushIntervalMs ?? 50;
    this.#batchSize = Math.max(1, options.batchSize ?? 500);
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
    await this.#startPurging();
  }

  /**
   * Applies new `record` and `recordData` modes and retention to the running store (a
   * reload): executions ending from now on follow them; none in flight is lost.
   */
  async reconfigure(
    options: Pick<ExecutionStoreOptions, "record" | "recordData" | "retention">,
  ): Promise<void> {
    this.#record = options.record ?? "all";
    this.#recordData = options.recordData ?? "failed";
    this.#retention = options.retention;
    if (this.#retention === undefined) {
      clearInterval(this.#purgeTimer);
      this.#purgeTimer = undefined;
    }
    await this.#startPurging();
  }

  /** With a retention: applies it now and every hour. */
  async #startPurging(): Promise<void> {
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
    this.#recordFor(executionID, this.#running.get(executionID), eventType, data);
    return DONE;
  }

  /** recordEvent for one execution, holding on to it between its events. */
  eventsOf(executionID: string): ExecutionEvents {
    let running: ExecutionRecord | undefined;
    return (eventType, data) => {
      running = this.#recordFor(
        executionID,
        running ?? this.#running.get(executionID),
        eventType,
        data,
      );
    };
  }

  /** Records one event; returns the execution while it runs. Never throws. */
  #recordFor(
    id: string,
    running: ExecutionRecord | undefined,
    type: string,
    data: Record<string, unknown>,
  ): ExecutionRecord | undefined {
    if (this.#record === "none" || this.#closed) return undefined;
    try {
      return this.#apply(id, running, type, data ?? {});
    } catch (err) {
      this.#logger.error(
        { execution_id: id, event_type: type, error: (err as Error).message },
        "execution store: could not record an event",
      );
      return undefined;
    }
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
      deleted += (await this.#db.execute(`DELETE FROM wfctl_executions WHERE id IN (${list})`, ids))
        .affectedRows;
      if (rows.length < PURGE_CHUNK) return deleted;
    }
  }

  listExecutions(filter?: ListExecutionsFilter): Promise<ExecutionSummary[]> {
    return listExecutions(this.#db, filter);
  }

  getExecution(id: string): Promise<ExecutionDetail | undefined> {
    return getExecution(this.#db, id);
  }

  #apply(
    id: string,
    running: ExecutionRecord | undefined,
    type: string,
    data: Record<string, unknown>,
  ): ExecutionRecord | undefined {
    const at = this.#now();
    let execution = running;
    if (execution === undefined) {
      const next = this.#ended.get(id) ?? this.#endedBefore.get(id);
      if (next !== undefined) {
        // After its end (compensation reported late, say): kept with the written execution.
        if (next !== NOT_WRITTEN) {
          const withData = next > 0;
          const sequence = Math.abs(next);
          this.#ended.set(id, withData ? sequence + 1 : -(sequence + 1));
          this.#enqueue(lateEventUnit(id, { sequence, type, data, at }, withData));
        }
        return undefined;
      }
      execution = new ExecutionRecord(id, at, { steps: false });
      this.#running.set(id, execution);
    }
    if (!execution.apply(type, data, at)) return execution;
    this.#running.delete(id);
    this.#finish(execution);
    return undefined;
  }

  #finish(execution: ExecutionRecord): void {
    const written = this.#record === "all" || execution.status === "failed";
    const withData = written && this.#withData(execution);
    if (this.#ended.size >= ENDED_GENERATION) {
      this.#endedBefore = this.#ended;
      this.#ended = new Map();
    }
    const next = execution.nextEventSequence;
    this.#ended.set(execution.id, !written ? NOT_WRITTEN : withData ? next : -next);
    if (execution.droppedEvents > 0) {
      this.#logger.warn(
        { execution_id: execution.id, dropped_events: execution.droppedEvents },
        "execution store: execution had too many events; the later ones were not kept",
      );
    }
    if (written) this.#enqueue(executionUnit(execution, withData));
  }

  #withData(execution: ExecutionRecord): boolean {
    switch (this.#recordData) {
      case "all":
        return true;
      case "failed":
        return execution.status !== "completed" || execution.traced;
      case "none":
        return false;
    }
  }

  #enqueue(unit: WriteUnit): void {
    if (this.#queue.length >= MAX_QUEUED) {
      // A tenth at a time: shifting one off a full queue per execution costs O(n) each.
      const dropping = Math.ceil(MAX_QUEUED / 10);
      this.#queue.splice(0, dropping);
      this.#dropped += dropping;
      this.#logger.error(
        { database: this.#db.name, dropped: this.#dropped },
        "execution store: the database is not keeping up; dropped the oldest unwritten executions",
      );
    }
    this.#queue.push(unit);
    if (this.#queue.length >= this.#batchSize) this.#startWriting();
    else this.#scheduleWrite();
  }

  /**
   * Writes one batch now. One writer at a time; what ends while it writes waits for
   * the next batch, due when it is full or at the flush interval, so transactions
   * stay large under load instead of shrinking to whatever ended during the last one.
   */
  #startWriting(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#writing !== undefined || this.#queue.length === 0) return;
    this.#writing = this.#write(this.#queue.splice(0, this.#batchSize)).finally(() => {
      this.#writing = undefined;
      if (this.#queue.length >= this.#batchSize) this.#startWriting();
      else if (this.#queue.length > 0) this.#scheduleWrite();
    });
  }

  #scheduleWrite(): void {
    this.#timer ??= setTimeout(() => this.#startWriting(), this.#flushIntervalMs);
  }

  /** Never throws: a failed batch is retried unit by unit, so one bad row loses only itself. */
  async #write(units: WriteUnit[]): Promise<void> {
    try {
      await this.#sink.write(batchOf(units));
      return;
    } catch (err) {
      if (units.length === 1 || WfError.is(err)) return this.#writeFailed(units.length, err);
    }
    let failed = 0;
    let first: unknown;
    for (const unit of units) {
      try {
        await this.#sink.write(batchOf([unit]));
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
