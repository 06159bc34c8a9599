import type Database from "better-sqlite3";
import type { LockDriver } from "../state-driver.js";
import { decodePayload } from "../state-records.js";
import type { LockHolder } from "../state-store.js";

/**
 * Locks as rows of `wfctl_locks`, shared by every process that opens the database
 * file. Each method is one statement, atomic under SQLite's write lock; replace and
 * release match the holder id, so they are compare-and-swap.
 */
export class SqliteLocks implements LockDriver {
  readonly #where: string;
  readonly #insert: Database.Statement<[string, string, string, string]>;
  readonly #select: Database.Statement<[string], { holder: string }>;
  readonly #update: Database.Statement<[string, string, string, string, string]>;
  readonly #deleteHeld: Database.Statement<[string, string]>;
  readonly #deleteAny: Database.Statement<[string], { holder: string }>;

  constructor(db: Database.Database, where: string) {
    this.#where = where;
    this.#insert = db.prepare(
      "INSERT INTO wfctl_locks (name, holder_id, expires_at, holder) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
    );
    this.#select = db.prepare("SELECT holder FROM wfctl_locks WHERE name = ?");
    this.#update = db.prepare(
      "UPDATE wfctl_locks SET holder_id = ?, expires_at = ?, holder = ? WHERE name = ? AND holder_id = ?",
    );
    this.#deleteHeld = db.prepare("DELETE FROM wfctl_locks WHERE name = ? AND holder_id = ?");
    this.#deleteAny = db.prepare("DELETE FROM wfctl_locks WHERE name = ? RETURNING holder");
  }

  async create(name: string, holder: LockHolder): Promise<boolean> {
    const row = [name, holder.id, holder.expires_at, JSON.stringify(holder)] as const;
    return this.#insert.run(...row).changes === 1;
  }

  async read(name: string): Promise<LockHolder | undefined> {
    const row = this.#select.get(name);
    return row === undefined ? undefined : this.#decode(name, row.holder);
  }

  async replace(name: string, expectedId: string, next: LockHolder): Promise<boolean> {
    const args = [next.id, next.expires_at, JSON.stringify(next), name, expectedId] as const;
    return this.#update.run(...args).changes === 1;
  }

  async release(name: string, id: string): Promise<boolean> {
    return this.#deleteHeld.run(name, id).changes === 1;
  }

  async remove(name: string): Promise<LockHolder | undefined> {
    const row = this.#deleteAny.get(name);
    return row === undefined ? undefined : this.#decode(name, row.holder);
  }

  #decode(name: string, text: string): LockHolder {
    return decodePayload("lock", text, `${this.#where}: lock "${name}"`);
  }
}
