import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { numberedPlaceholders } from "../database/sqlite-params.js";
import {
  APPEND_EVENT,
  type BatchSink,
  EXECUTION_COLUMNS,
  type RowBatch,
} from "./execution-writer.js";

/**
 * The worker's code, plain CommonJS so it runs the same from TypeScript sources and
 * from the bundle: its own better-sqlite3 connection to the file (already in WAL
 * mode: the database module switched it), one IMMEDIATE transaction per batch, a
 * prepared single-row insert and event append.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = " + workerData.busyTimeoutMs);
db.pragma("synchronous = NORMAL");
const insert = db.prepare(workerData.insert);
const append = db.prepare(workerData.append);
const write = db.transaction((batch) => {
  for (const row of batch.executions) insert.run(row);
  for (const [id, event] of batch.lateEvents) append.run({ 1: id, 2: event });
});
parentPort.on("message", ({ id, batch }) => {
  try {
    write.immediate(batch);
    parentPort.postMessage({ id });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

const INSERT = `INSERT INTO wfctl_executions (${EXECUTION_COLUMNS.map(([name]) => name).join(", ")}) VALUES (${EXECUTION_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`;
const APPEND = numberedPlaceholders(APPEND_EVENT.sqlite);

interface Pending {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Writes batches to a SQLite file from a worker thread, so inserting never takes the
 * event loop (SQLite's B-tree work is most of a recorded execution's cost). The
 * worker is started on first use, kept referenced only while a write is in flight,
 * and started again after a crash.
 */
export class SqliteWorkerSink implements BatchSink {
  readonly #file: string;
  readonly #busyTimeoutMs: number;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  constructor(file: string, busyTimeoutMs = 5_000) {
    this.#file = file;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  write(batch: RowBatch): Promise<void> {
    const worker = this.#started();
    const id = ++this.#nextId;
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, batch });
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  #started(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve("better-sqlite3"),
        file: this.#file,
        busyTimeoutMs: this.#busyTimeoutMs,
        insert: INSERT,
        append: APPEND,
      },
    });
    worker.unref();
    worker.on("message", ({ id, error }: { id: number; error?: string }) => {
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      if (this.#pending.size === 0) worker.unref();
      if (error === undefined) pending?.resolve();
      else pending?.reject(new Error(error));
    });
    const fail = (err: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const pending of this.#pending.values()) pending.reject(err);
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`execution store writer exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }
}
