import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { CoalescedSync } from "./coalesced-sync.js";

export const fsyncAsync = promisify(fsync);

/**
 * A directory whose writes are durable before they resolve: each file is written to a
 * temporary file in the same directory, fsynced, renamed over the target (atomic: a
 * reader sees the old or the new content, never a mix) and the directory fsynced so
 * the rename itself survives a crash. Concurrent writers share directory fsyncs.
 * Created on first write, 0700; files 0600 (state holds outputs, some sensitive).
 *
 * The small steps (open, write, rename, reads of ~1 KB records) are synchronous on
 * purpose: each libuv threadpool round trip costs 0.1–0.2 ms on small VMs, several
 * times the step itself, and a save would spend most of its time hopping threads.
 * Only the fsyncs, which wait for the disk, run off the event loop.
 */
export class DurableDir {
  readonly path: string;
  #fd: number | undefined;
  readonly #dirSync = new CoalescedSync(() => fsyncAsync(this.ensure()));

  constructor(dirPath: string) {
    this.path = dirPath;
  }

  /** The file's text, or undefined when it does not exist. */
  async read(file: string): Promise<string | undefined> {
    try {
      return readFileSync(path.join(this.path, file), "utf8");
    } catch (err) {
      if (isCode(err, "ENOENT")) return undefined;
      throw err;
    }
  }

  /** Names of the files ending in `extension`, temporary files excluded. */
  async list(extension: string): Promise<string[]> {
    let names: string[];
    try {
      names = readdirSync(this.path);
    } catch (err) {
      if (isCode(err, "ENOENT")) return [];
      throw err;
    }
    return names.filter((n) => n.endsWith(extension) && !n.startsWith("."));
  }

  async write(file: string, text: string): Promise<void> {
    const temporary = await this.writeTemporary(file, text);
    try {
      renameSync(temporary, path.join(this.path, file));
    } catch (err) {
      removeQuietly(temporary);
      throw err;
    }
    await this.sync();
  }

  /**
   * Writes `text` to a new fsynced temporary file in this directory (hidden, so
   * listings skip it) and returns its path; the caller renames or links it into place.
   */
  async writeTemporary(file: string, text: string): Promise<string> {
    this.ensure();
    const temporary = path.join(this.path, `.${file}.${randomBytes(6).toString("hex")}.tmp`);
    const fd = openSync(temporary, "wx", 0o600);
    try {
      const bytes = Buffer.from(text, "utf8");
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      await fsyncAsync(fd);
    } catch (err) {
      closeSync(fd);
      removeQuietly(temporary);
      throw err;
    }
    closeSync(fd);
    return temporary;
  }

  /** Removes the file; false when there was none. */
  async remove(file: string): Promise<boolean> {
    try {
      unlinkSync(path.join(this.path, file));
    } catch (err) {
      if (isCode(err, "ENOENT")) return false;
      throw err;
    }
    await this.sync();
    return true;
  }

  /** Makes every rename and unlink done before the call durable (shared between callers). */
  sync(): Promise<void> {
    return this.#dirSync.sync();
  }

  /** Creates the directory (0700) if need be and keeps it open for fsyncs. */
  ensure(): number {
    if (this.#fd === undefined) {
      mkdirSync(this.path, { recursive: true, mode: 0o700 });
      this.#fd = openSync(this.path, "r");
    }
    return this.#fd;
  }

  async close(): Promise<void> {
    // Let a running or queued fsync finish with the descriptor before closing it.
    await this.#dirSync.idle().catch(() => {});
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

export function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or the directory is unwritable: nothing more to clean up.
  }
}
