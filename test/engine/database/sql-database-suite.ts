import { expect, it } from "vitest";
import type { SqlDatabase } from "../../../src/engine/database/sql-database.js";

/**
 * Transaction behaviour every SqlDatabase shares, run against each dialect.
 * `withItems` gives a fresh database with a table `items (id, name, n)`.
 */
export function sqlDatabaseTransactionSuite(withItems: () => Promise<SqlDatabase>): void {
  it("commits a transaction that sees its own writes and resolves to fn's value, and rolls it back when fn throws", async () => {
    const db = await withItems();
    const value = await db.transaction(async (tx) => {
      await tx.execute("INSERT INTO items (name) VALUES ('tea')");
      expect(await tx.query("SELECT name FROM items")).toEqual([{ name: "tea" }]);
      return "committed";
    });
    expect(value).toBe("committed");
    await expect(
      db.transaction(async (tx) => {
        await tx.execute("INSERT INTO items (name) VALUES ('lost')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.query("SELECT name FROM items ORDER BY id")).toEqual([{ name: "tea" }]);
  });

  it("a nested transaction rolls back to its savepoint only", async () => {
    const db = await withItems();
    await db.transaction(async (tx) => {
      await tx.execute("INSERT INTO items (name) VALUES ('kept')");
      await expect(
        tx.transaction(async (inner) => {
          await inner.execute("INSERT INTO items (name) VALUES ('undone')");
          throw new Error("inner");
        }),
      ).rejects.toThrow("inner");
    });
    expect(await db.query("SELECT name FROM items")).toEqual([{ name: "kept" }]);
  });
}
