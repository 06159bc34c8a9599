import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { PostgresDatabase } from "../../../src/engine/database/postgres-database.js";
import type { SqlDatabase } from "../../../src/engine/database/sql-database.js";
import { SqliteDatabase } from "../../../src/engine/database/sqlite-database.js";
import { dbQueryStep } from "../../../src/engine/steps/db-query-step.js";
import { postgresAvailable, postgresForSuite } from "../../helpers/postgres.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { buildStep, contextWith } from "./step-harness.js";

/** The same behaviour on both engines, each with a fresh `users` table. */
function dbQuerySuite(open: () => Promise<SqlDatabase>) {
  const opened: SqlDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });
  const withUsers = async (): Promise<SqlDatabase> => {
    const db = await open();
    opened.push(db);
    await db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, role TEXT)");
    await db.execute("INSERT INTO users (id, name, role) VALUES (1, 'ann', 'admin')");
    await db.execute("INSERT INTO users (id, name, role) VALUES (2, 'bob', 'user')");
    await db.execute("INSERT INTO users (id, name, role) VALUES (3, 'cy', 'user')");
    return db;
  };

  it("lists rows with params from templates bound to $1", async () => {
    const db = await withUsers();
    const step = buildStep(
      dbQueryStep,
      {
        database: "app",
        query: "SELECT id, name FROM users WHERE role = $1 ORDER BY id",
        params: ["{{ .steps.parse.query.role }}"],
      },
      { databases: { app: db } },
    );
    const result = await step.execute(contextWith({}, { parse: { query: { role: "user" } } }));
    expect(result.output).toEqual({
      rows: [
        { id: 2, name: "bob" },
        { id: 3, name: "cy" },
      ],
      count: 2,
    });
  });

  it("returns one row in single mode (and upstream's `one`, `module`, `args`)", async () => {
    const db = await withUsers();
    const single = buildStep(
      dbQueryStep,
      {
        module: "app",
        query: "SELECT name FROM users WHERE id = $1",
        args: ["{{ .trigger.id }}"],
        mode: "one",
      },
      { databases: { app: db } },
    );
    expect((await single.execute(contextWith({ id: 1 }))).output).toEqual({
      row: { name: "ann" },
      found: true,
    });
    expect((await single.execute(contextWith({ id: 99 }))).output).toEqual({
      row: null,
      found: false,
    });
  });

  it("keeps an SQL injection attempt in a param as data", async () => {
    const db = await withUsers();
    const step = buildStep(
      dbQueryStep,
      {
        database: "app",
        query: "SELECT id FROM users WHERE name = $1",
        params: ["{{ .trigger.name }}"],
      },
      { databases: { app: db } },
    );
    const result = await step.execute(contextWith({ name: "x' OR '1'='1" }));
    expect(result.output).toEqual({ rows: [], count: 0 });
    const drop = await step.execute(contextWith({ name: "ann'; DROP TABLE users; --" }));
    expect(drop.output).toEqual({ rows: [], count: 0 });
    expect(await db.query("SELECT count(*) AS n FROM users")).toEqual([{ n: 3 }]);
  });

  it("fails naming the database on an SQL error (the executor adds the step)", async () => {
    const db = await withUsers();
    const step = buildStep(
      dbQueryStep,
      { database: "app", query: "SELECT nope FROM users" },
      { databases: { app: db } },
      "load",
    );
    await expect(step.execute(contextWith())).rejects.toThrow(/^database "app": .*nope/);
  });
}

describe("step.db_query on SQLite", () => {
  dbQuerySuite(
    async () => new SqliteDatabase({ name: "app", path: path.join(tempDir("dbq"), "app.db") }),
  );
});

describe.skipIf(!postgresAvailable())("step.db_query on PostgreSQL", () => {
  const cluster = postgresForSuite();
  let count = 0;
  dbQuerySuite(async () => {
    const dsn = await cluster.createDatabase(`dbq_${++count}`);
    return PostgresDatabase.connect({ name: "app", dsn });
  });
});

describe("step.db_query config", () => {
  const db = new SqliteDatabase({ name: "app", path: ":memory:" });
  afterAll(() => db.close());
  const build = (config: Record<string, unknown>) =>
    buildStep(dbQueryStep, config, { databases: { app: db } }, "load");

  it("rejects templates in the query", () => {
    expect(() => build({ database: "app", query: "SELECT * FROM t WHERE id = {{ .id }}" })).toThrow(
      /step "load": config.query cannot contain templates/,
    );
  });

  it("names a missing database module", () => {
    expect(() => build({ database: "other", query: "SELECT 1" })).toThrow(
      /step "load": database "other" cannot be used/,
    );
  });

  it("requires a value for every placeholder and a known mode", () => {
    expect(() => build({ database: "app", query: "SELECT $1, $2", params: [1] })).toThrow(
      /uses \$2 but config.params has 1 value/,
    );
    expect(() => build({ database: "app", query: "SELECT 1", mode: "all" })).toThrow(
      /config.mode must be list or single/,
    );
  });

  it("ignores placeholders inside string literals", async () => {
    const step = build({ database: "app", query: "SELECT '$1' AS a, $1 AS b", params: [5] });
    expect((await step.execute(contextWith())).output).toEqual({
      rows: [{ a: "$1", b: 5 }],
      count: 1,
    });
  });
});
