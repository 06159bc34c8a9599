import { closeSync, fdatasync, fstatSync, openSync, readSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import { WfError } from "../../../diagnostics/index.js";
import {
  checkFormatVersion,
  decodePayload,
  decodeRecord,
  encodeRecord,
  type RecordPayloads,
  STATE_FORMAT_VERSION,
} from "../state-records.js";
import { CoalescedSync } from "./coalesced-sync.js";
import { type DurableDir, isCode } from "./durable-dir.js";
import { removeIfPresent } from "./file-guard.js";

const fdatasyncAsync = promisify(fdatasync);

export type JournalKind = "resource" | "intent";

/** Compact once the journal is this large and mostly superseded records. */
const COMPACT_MIN_BYTES = 1 << 20;
const COMPACT_RATIO = 3;
const NEWLINE = 0x0a;
/** A compaction mark older than this was left by a process that died compacting. */
const STALE_COMPACTION_MS = 60_000;

/**
 * Resources and intents as an append-only journal of versioned JSON lines — a put
 * (`{version, resource: …}`) or a deletion (`{version, deleted: {kind, name}}`) — with
 * the latest line per name winning. A durable write is one append and one fdatasync
 * (shared by concurrent writers): several times cheaper than writing, fsyncing and
 * renaming a file and then fsyncing its folder, which is what lets thousands of
 * actions each be durable before the next. When superseded lines dominate, the
 * journal is rewritten with only the live ones (atomic replace).
 *
 * Processes share the journal without locking it for appends: an O_APPEND write of a
 * whole line lands intact whoever else appends. A compaction marks itself with a file
 * for as long as it runs; an appender that finds a mark, or a replaced journal, after
 * its write appends the line again, so no acknowledged line is lost to a compaction.
 * Readers follow the file by inode and offset, reading only what was appended since.
 * Each append starts with a newline, so a line torn by a crash (never acknowledged)
 * stands alone and is skipped.
 */
export class Journal {
  readonly #dir: DurableDir;
  readonly #file: string;
  readonly #path: string;
  /** Exists while a compaction runs. */
  readonly #marker: string;
  /** Live records: `kind NUL name` → the line that put it. */
  readonly #live = new Map<string, string>();
  #liveBytes = 0;
  /** The journal file read so far (inode, bytes consumed). */
  #ino = 0;
  #offset = 0;
  #fd: number | undefined;
  #fdIno = 0;
  /** Descriptors of journals replaced by a compaction, closed at close(). */
  readonly #retired: number[] = [];
  /** This process created the journal: its folder entry needs an fsync too. */
  #created = false;
  /** Appends made without a flush, flushed at the latest by close(). */
  #unflushed = false;
  readonly #dataSync = new CoalescedSync(() => this.#flush());

  constructor(dir: DurableDir, file: string) {
    this.#dir = dir;
    this.#file = file;
    this.#path = path.join(dir.path, file);
    this.#marker = `${this.#path}.compacting`;
  }

  get<K extends JournalKind>(kind: K, name: string): RecordPayloads[K] | undefined {
    this.#refresh();
    const line = this.#live.get(liveKey(kind, name));
    return line === undefined ? undefined : decodeRecord(kind, line, this.#path);
  }

  all<K extends JournalKind>(kind: K): RecordPayloads[K][] {
    this.#refresh();
    const prefix = liveKey(kind, "");
    const records: RecordPayloads[K][] = [];
    for (const [key, line] of this.#live) {
      if (key.startsWith(prefix)) records.push(decodeRecord(kind, line, this.#path));
    }
    return records;
  }

  put<K extends JournalKind>(kind: K, payload: RecordPayloads[K]): Promise<void> {
    return this.#append(encodeRecord(kind, payload));
  }

  /**
   * Appends a deletion. With `durable: false` it is not flushed on its own but with the
   * next durable write (or close): for bookkeeping whose loss in a power failure is
   * harmless, such as clearing a fulfilled intent.
   */
  async delete(kind: JournalKind, name: string, durable = true): Promise<void> {
    this.#refresh();
    if (!this.#live.has(liveKey(kind, name))) return;
    const line = JSON.stringify({ version: STATE_FORMAT_VERSION, deleted: { kind, name } });
    await this.#append(line, durable);
  }

  async close(): Promise<void> {
    if (this.#unflushed) await this.#dataSync.sync();
    await this.#dataSync.idle();
    for (const fd of [...this.#retired, ...(this.#fd === undefined ? [] : [this.#fd])]) {
      closeSync(fd);
    }
    this.#retired.length = 0;
    this.#fd = undefined;
  }

  /** Appends one line; durable when this resolves unless `durable` is false. */
  async #append(line: string, durable = true): Promise<void> {
    this.#dir.ensure();
    const bytes = Buffer.from(`\n${line}\n`, "utf8");
    for (;;) {
      const { fd, ino } = this.#appendTarget();
      // One write() with O_APPEND lands whole at the end, even with other writers; a
      // short one (disk full) would leave a torn line, so it is not acknowledged.
      const written = writeSync(fd, bytes);
      if (written !== bytes.length) {
        throw new Error(
          `wrote ${written} of ${bytes.length} bytes to ${this.#path}: is the disk full?`,
        );
      }
      if (durable) await this.#dataSync.sync();
      else this.#unflushed = true;
      if (await this.#stillLive(ino)) break;
      // A compaction read the journal before this line landed and replaced it: again.
    }
    this.#refresh();
    if (this.#offset > COMPACT_MIN_BYTES && this.#offset > COMPACT_RATIO * this.#liveBytes) {
      // The line is durable already; a compaction that fails is retried by a later append.
      await this.#compact().catch(() => {});
    }
  }

  /**
   * True when the journal a line was appended to (`ino`) is still the live one, and no
   * compaction is under way that may have read it before the line landed (waiting for
   * one to finish). A compaction marks itself before reading and until its new
   * journal is in place, so "no mark and same inode" means every later compaction
   * reads this line.
   */
  async #stillLive(ino: number): Promise<boolean> {
    for (;;) {
      const age = fileAge(this.#marker);
      if (age === undefined) return this.#currentIno() === ino;
      if (age > STALE_COMPACTION_MS) {
        removeIfPresent(this.#marker); // its compactor died
      } else {
        await delay(5 + Math.random() * 10);
      }
    }
  }

  /** The descriptor appends go to, reopened when a compaction replaced the file. */
  #appendTarget(): { fd: number; ino: number } {
    if (this.#fd === undefined || this.#fdIno !== this.#currentIno()) {
      if (this.#fd !== undefined) this.#retired.push(this.#fd);
      try {
        this.#fd = openSync(this.#path, "ax", 0o600);
        this.#created = true;
      } catch (err) {
        if (!isCode(err, "EEXIST")) throw err;
        this.#fd = openSync(this.#path, "a", 0o600);
      }
      this.#fdIno = fstatSync(this.#fd).ino;
    }
    return { fd: this.#fd, ino: this.#fdIno };
  }

  async #flush(): Promise<void> {
    this.#unflushed = false;
    if (this.#fd !== undefined) await fdatasyncAsync(this.#fd);
    if (this.#created) {
      this.#created = false;
      await this.#dir.sync();
    }
  }

  /**
   * Rewrites the journal with only its live lines (atomic replace), unless another
   * process is compacting it already. Appenders meanwhile re-append what it missed.
   */
  async #compact(): Promise<void> {
    try {
      closeSync(openSync(this.#marker, "wx", 0o600));
    } catch (err) {
      if (isCode(err, "EEXIST")) return;
      throw err;
    }
    try {
      this.#refresh();
      let text = "";
      for (const line of this.#live.values()) text += `${line}\n`;
      await this.#dir.write(this.#file, text);
    } finally {
      removeIfPresent(this.#marker);
    }
    this.#refresh();
  }

  #currentIno(): number {
    try {
      return statSync(this.#path).ino;
    } catch (err) {
      if (isCode(err, "ENOENT")) return 0;
      throw err;
    }
  }

  /** Folds in what was appended since the last read; rereads a replaced journal. */
  #refresh(): void {
    let fd: number;
    try {
      fd = openSync(this.#path, "r");
    } catch (err) {
      if (!isCode(err, "ENOENT")) throw err;
      if (this.#ino !== 0) this.#reset(0);
      return;
    }
    try {
      const { ino, size } = fstatSync(fd);
      if (ino !== this.#ino || size < this.#offset) this.#reset(ino);
      if (size > this.#offset) this.#consume(fd, size);
    } finally {
      closeSync(fd);
    }
  }

  #reset(ino: number): void {
    this.#live.clear();
    this.#liveBytes = 0;
    this.#ino = ino;
    this.#offset = 0;
  }

  /** Applies the complete lines between the offset and `size`; a partial last line waits. */
  #consume(fd: number, size: number): void {
    const buffer = Buffer.allocUnsafe(size - this.#offset);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, this.#offset + read);
      if (n === 0) break;
      read += n;
    }
    const end = buffer.lastIndexOf(NEWLINE, read - 1);
    if (end < 0) return;
    let start = 0;
    while (start <= end) {
      const stop = buffer.indexOf(NEWLINE, start);
      if (stop > start) this.#apply(buffer.toString("utf8", start, stop));
      start = stop + 1;
    }
    this.#offset += end + 1;
  }

  #apply(line: string): void {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return; // torn by a crash while being appended, so never acknowledged
    }
    if (typeof entry !== "object" || entry === null) return;
    const record = entry as Record<string, unknown>;
    checkFormatVersion(
      typeof record.version === "number" ? record.version : Number.NaN,
      this.#path,
    );
    const deleted = record.deleted as { kind?: unknown; name?: unknown } | undefined;
    if (deleted !== undefined) {
      if (!isJournalKind(deleted.kind) || typeof deleted.name !== "string") {
        throw this.#unreadable();
      }
      this.#set(liveKey(deleted.kind, deleted.name), undefined);
      return;
    }
    const kind = "resource" in record ? "resource" : "intent" in record ? "intent" : undefined;
    if (kind === undefined) throw this.#unreadable();
    const payload = decodePayload(kind, record[kind], this.#path);
    this.#set(liveKey(kind, payload.name), line);
  }

  #set(key: string, line: string | undefined): void {
    const previous = this.#live.get(key);
    if (previous !== undefined) this.#liveBytes -= previous.length + 1;
    if (line === undefined) {
      this.#live.delete(key);
    } else {
      this.#live.set(key, line);
      this.#liveBytes += line.length + 1;
    }
  }

  /** Names the file, not the line: state lines hold outputs, some of them secret. */
  #unreadable(): WfError {
    return new WfError(
      "WF_ERR_STATE",
      `${this.#path} holds a record that is neither a resource, an intent nor a deletion; restore the state folder from a backup`,
    );
  }
}

/** Milliseconds since the file was last modified; undefined when it does not exist. */
function fileAge(file: string): number | undefined {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch (err) {
    if (isCode(err, "ENOENT")) return undefined;
    throw err;
  }
}

function liveKey(kind: JournalKind, name: string): string {
  return `${kind}\u0000${name}`;
}

function isJournalKind(x: unknown): x is JournalKind {
  return x === "resource" || x === "intent";
}
