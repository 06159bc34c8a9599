import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PostgresDatabase } from "../../../src/engine/database/postgres-database.js";
import type { SqlDatabase } from "../../../src/engine/database/sql-database.js";
import { SqliteDatabase } from "../../../src/engine/database/sqlite-database.js";
import { dbExecStep } from "../../../src/engine/steps/db-exec-step.js";
import { postgresAvailable, postgresForSuite } from "../../helpers/postgres.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { buildStep, contextWith } from "./step-harness.js";

function dbExecSuite(open: () => Promise<SqlDatabase>, idColumn: string) {
  const opened: SqlDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });
  const withNotes = async (): Promise<SqlDatabase> => {
    const db = await open();
    opened.push(db);
    await db.execute(`CREATE TABLE notes (id ${idColumn}, body TEXT, done BOOLEAN)`);
    return db;
  };
  const exec = (db: SqlDatabase, config: Record<string, unknown>) =>
    buildStep(dbExecStep, { database: "app", ...config }, { databases: { app: db } }, "save");

  it("inserts with bound params and reports affected rows and the new id", async () => {
    const db = await withNotes();
    const insert = exec(db, {
      query: "INSERT INTO notes (body, done) VALUES ($1, $2) RETURNING id",
      params: ["{{ .trigger.body }}", false],
    });
    const first = await insert.execute(contextWith({ body: "tea" }));
    expect(first.output).toEqual({ affected_rows: 1, last_id: "1" });
    const second = await insert.execute(contextWith({ body: "jam" }));
    expect(second.output).toEqual({ affected_rows: 1, last_id: "2" });
  });

  it("updates and deletes, with last_id null when nothing was inserted", async () => {
    const db = await withNotes();
    await db.execute("INSERT INTO notes (body, done) VALUES ('a', false), ('b', false)");
    const update = exec(db, { query: "UPDATE notes SET done = $1", params: [true] });
    expect((await update.execute(contextWith())).output).toEqual({
      affected_rows: 2,
      last_id: null,
    });
    const remove = exec(db, {
      query: "DELETE FROM notes WHERE body = $1",
      args: ["{{ .trigger.body }}"],
    });
    expect((await remove.execute(contextWith({ body: "a" }))).output).toEqual({
      affected_rows: 1,
      last_id: null,
    });
  });

  it("stores an SQL injection attempt in a param as plain text", async () => {
    const db = await withNotes();
    const attack = "x'); DROP TABLE notes; --";
    const insert = exec(db, {
      query: "INSERT INTO notes (body, done) VALUES ($1, false)",
      params: ["{{ .trigger.body }}"],
    });
    await insert.execute(contextWith({ body: attack }));
    expect(await db.query("SELECT body FROM notes")).toEqual([{ body: attack }]);
  });

  it("fails naming the database on a constraint error (the executor adds the step)", async () => {
    const db = await withNotes();
    const insert = exec(db, {
      query: "INSERT INTO notes (id, body) VALUES (1, $1)",
      params: ["a"],
    });
    await insert.execute(contextWith());
    await expect(insert.execute(contextWith())).rejects.toThrow(/^database "app": /);
  });
}

describe("step.db_exec on SQLite", () => {
  dbExecSuite(
    async () => new SqliteDatabase({ name: "app", path: path.join(tempDir("dbx"), "app.db") }),
    "INTEGER PRIMARY KEY",
  );
});

describe.skipIf(!postgresAvailable())("step.db_exec on PostgreSQL", () => {
  const cluster = postgresForSuite();
  let count = 0;
  dbExecSuite(async () => {
    const dsn = await cluster.createDatabase(`dbx_${++count}`);
    return PostgresDatabase.connect({ name: "app", dsn });
  }, "SERIAL PRIMARY KEY");

  it("never shows the connection string in errors", async () => {
    const dsn = await cluster.createDatabase("dbx_secret");
    const db = await PostgresDatabase.connect({ name: "app", dsn });
    try {
      const step = buildStep(
        dbExecStep,
        { database: "app", query: "INSERT INTO missing VALUES ($1)", params: [1] },
        { databases: { app: db } },
      );
      const err = (await step.execute(contextWith()).catch((e: Error) => e)) as Error;
      expect(err.message).toMatch(/database "app": relation "missing" does not exist/);
      expect(err.message).not.toContain(dsn);
    } finally {
      await db.close();
    }
  });
});
