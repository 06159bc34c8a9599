import { expect, it } from "vitest";
import type { SqlDatabase } from "../../../src/engine/database/sql-database.js";
import { Migrator, readMigrationSet } from "../../../src/migrations/index.js";

/**
 * What every SqlDatabase does alike, run against each dialect. `fresh` gives an empty
 * database; `idColumn` is the dialect's auto-numbered key column type.
 */
export function sqlDatabaseSuite(fresh: () => Promise<SqlDatabase>, idColumn: string): void {
  const withItems = async () => {
    const db = await fresh();
    await db.execute(`CREATE TABLE items (id ${idColumn}, name TEXT, n INTEGER)`);
    return db;
  };

  it("runs migrations on its own connection, and keeps working afterwards", async () => {
    const db = await fresh();
    const migrations = await db.migrationDatabase();
    const set = await readMigrationSet({
      files: { "1_items.up.sql": `CREATE TABLE items (id ${idColumn}, name TEXT);` },
    });
    await new Migrator(migrations, set).up();
    await migrations.close();
    await db.execute("INSERT INTO items (name) VALUES ('tea')");
    expect(await db.query("SELECT name FROM items")).toEqual([{ name: "tea" }]);
  });

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
