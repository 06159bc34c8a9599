import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WfError } from "../../../src/diagnostics/index.js";
import { SqliteDatabase } from "../../../src/engine/database/sqlite-database.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { sqlDatabaseSuite } from "./sql-database-suite.js";

describe("SqliteDatabase", () => {
  const opened: SqliteDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });
  const open = (file = ":memory:"): SqliteDatabase => {
    const db = new SqliteDatabase({ name: "app", path: file });
    opened.push(db);
    return db;
  };
  const withItems = async (): Promise<SqliteDatabase> => {
    const db = open();
    await db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, n INTEGER)");
    return db;
  };

  it("binds $N parameters, repeated or not, and leaves $N inside literals alone", async () => {
    const db = open();
    expect(await db.query("SELECT $1 AS a, $2 AS b, $1 AS c, '$1' AS literal", ["x", 2])).toEqual([
      { a: "x", b: 2, c: "x", literal: "$1" },
    ]);
  });

  it("stores booleans as 1/0, undefined as NULL, objects and arrays as JSON, Dates as ISO text", async () => {
    const db = open();
    const when = new Date("2025-03-01T10:00:00.000Z");
    const [row] = await db.query(
      "SELECT $1 AS yes, $2 AS no, $3 AS missing, $4 AS obj, $5 AS list, $6 AS at, $7 AS big",
      [true, false, undefined, { a: 1 }, [1, "two"], when, 12n],
    );
    expect(row).toEqual({
      yes: 1,
      no: 0,
      missing: null,
      obj: '{"a":1}',
      list: '[1,"two"]',
      at: "2025-03-01T10:00:00.000Z",
      big: 12,
    });
  });

  it("execute reports changed rows and the inserted rowid, and no id for other writes", async () => {
    const db = await withItems();
    expect(await db.execute("INSERT INTO items (name) VALUES ($1)", ["tea"])).toEqual({
      affectedRows: 1,
      lastId: "1",
    });
    expect(await db.execute("INSERT INTO items (name) VALUES ($1), ($2)", ["cake", "jam"])).toEqual(
      { affectedRows: 2, lastId: "3" },
    );
    expect(await db.execute("UPDATE items SET n = 5 WHERE id > $1", [1])).toEqual({
      affectedRows: 2,
      lastId: undefined,
    });
    expect(await db.execute("DELETE FROM items WHERE name = $1", ["nothing"])).toEqual({
      affectedRows: 0,
      lastId: undefined,
    });
  });

  it("query runs a statement that returns no rows and gives []", async () => {
    const db = await withItems();
    expect(await db.query("INSERT INTO items (name) VALUES ($1)", ["tea"])).toEqual([]);
    expect(await db.query("SELECT name FROM items")).toEqual([{ name: "tea" }]);
    expect(
      await db.query("INSERT INTO items (name) VALUES ($1) RETURNING id, name", ["jam"]),
    ).toEqual([{ id: 2, name: "jam" }]);
  });

  sqlDatabaseSuite(async () => open(), "INTEGER PRIMARY KEY");

  it("runs concurrent transactions one after another, so read-modify-write loses nothing", async () => {
    const db = await withItems();
    await db.execute("INSERT INTO items (id, name, n) VALUES (1, 'counter', 0)");
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.query("SELECT n FROM items WHERE id = 1");
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.execute("UPDATE items SET n = $1 WHERE id = 1", [Number(row?.n) + 1]);
        }),
      ),
    );
    expect(await db.query("SELECT n FROM items WHERE id = 1")).toEqual([{ n: 20 }]);
  });

  it("a statement outside an open transaction waits for it instead of joining it", async () => {
    const db = await withItems();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const failing = db.transaction(async (tx) => {
      await tx.execute("INSERT INTO items (name) VALUES ('inside')");
      await gate;
      throw new Error("rolled back");
    });
    const outside = db.execute("INSERT INTO items (name) VALUES ('outside')");
    release();
    await expect(failing).rejects.toThrow("rolled back");
    await outside;
    expect(await db.query("SELECT name FROM items")).toEqual([{ name: "outside" }]);
  });

  it("opens a file (creating its folder) in WAL mode with foreign keys enforced", async () => {
    const file = path.join(tempDir("wfctl-sqlite"), "nested", "app.db");
    const db = open(file);
    expect(await db.query("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
    expect(await db.query("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    await db.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)");
    await db.execute("CREATE TABLE children (parent INTEGER REFERENCES parents (id))");
    await expect(db.execute("INSERT INTO children (parent) VALUES (42)")).rejects.toThrow(
      /FOREIGN KEY/,
    );
    await db.execute("INSERT INTO parents (id) VALUES (1)");
    await db.close();
    expect(await open(file).query("SELECT id FROM parents")).toEqual([{ id: 1 }]);
  });

  it("fails to open with WF_ERR_DATABASE naming the module and the file", () => {
    const dir = tempDir("wfctl-sqlite");
    const blocker = path.join(dir, "file");
    writeFileSync(blocker, "");
    const err = (() => {
      try {
        new SqliteDatabase({ name: "app", path: path.join(blocker, "app.db") });
      } catch (e) {
        return e;
      }
    })();
    expect(WfError.is(err) && err.code).toBe("WF_ERR_DATABASE");
    expect((err as Error).message).toContain('database "app"');
    expect((err as Error).message).toContain(path.join(blocker, "app.db"));
  });
});
