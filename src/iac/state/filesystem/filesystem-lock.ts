import { linkSync, renameSync } from "node:fs";
import path from "node:path";
import { WfError } from "../../../diagnostics/index.js";
import type { LockDriver } from "../state-driver.js";
import { decodeRecord, encodeRecord } from "../state-records.js";
import type { LockHolder } from "../state-store.js";
import { type DurableDir, isCode } from "./durable-dir.js";
import { removeIfPresent, withFileGuard } from "./file-guard.js";
import { fileName } from "./file-name.js";

/**
 * Locks as files `locks/NAME.lock` holding the holder's JSON, shared by every process
 * on the machine. Creation is exclusive and complete at once:
 * the holder is written to a temporary file and hard-linked into place, which fails if
 * the lock exists. Changing or removing an existing lock (renew, take over, release)
 * happens under a short-lived guard file, so that the holder check and the change are
 * one atomic step against other processes.
 */
export class FilesystemLocks implements LockDriver {
  readonly #dir: DurableDir;

  constructor(dir: DurableDir) {
    this.#dir = dir;
  }

  async create(name: string, holder: LockHolder): Promise<boolean> {
    const file = fileName(name, ".lock");
    const temporary = await this.#dir.writeTemporary(file, encodeRecord("lock", holder));
    try {
      linkSync(temporary, this.#path(file));
      return true;
    } catch (err) {
      if (isCode(err, "EEXIST")) return false;
      throw err;
    } finally {
      removeIfPresent(temporary);
    }
  }

  async read(name: string): Promise<LockHolder | undefined> {
    const file = fileName(name, ".lock");
    const text = await this.#dir.read(file);
    if (text === undefined) return undefined;
    try {
      return decodeRecord("lock", text, this.#path(file));
    } catch (err) {
      if (WfError.is(err) && err.code === "WF_ERR_STATE_VERSION") throw err;
      throw new WfError(
        "WF_ERR_STATE",
        `lock file ${this.#path(file)} is unreadable; if no run holds the lock, remove it with \`wfctl infra state unlock --force\``,
        { cause: err },
      );
    }
  }

  replace(name: string, expectedId: string, next: LockHolder): Promise<boolean> {
    const file = fileName(name, ".lock");
    return this.#guarded(file, async () => {
      if ((await this.read(name))?.id !== expectedId) return false;
      const temporary = await this.#dir.writeTemporary(file, encodeRecord("lock", next));
      try {
        renameSync(temporary, this.#path(file));
      } catch (err) {
        removeIfPresent(temporary);
        throw err;
      }
      return true;
    });
  }

  release(name: string, id: string): Promise<boolean> {
    const file = fileName(name, ".lock");
    return this.#guarded(file, async () => {
      if ((await this.read(name))?.id !== id) return false;
      return this.#dir.remove(file);
    });
  }

  remove(name: string): Promise<LockHolder | undefined> {
    const file = fileName(name, ".lock");
    return this.#guarded(file, async () => {
      // An unreadable lock is removed all the same: that is what --force is for.
      const holder = await this.read(name).catch(() => undefined);
      await this.#dir.remove(file);
      return holder;
    });
  }

  #path(file: string): string {
    return path.join(this.#dir.path, file);
  }

  /** Runs `fn` holding `FILE.guard`. */
  #guarded<T>(file: string, fn: () => Promise<T>): Promise<T> {
    this.#dir.ensure();
    return withFileGuard(this.#path(`${file}.guard`), fn);
  }
}
