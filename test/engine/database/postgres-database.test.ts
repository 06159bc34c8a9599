import { afterEach, describe, expect, it } from "vitest";
import { WfError } from "../../../src/diagnostics/index.js";
import { PostgresDatabase } from "../../../src/engine/database/postgres-database.js";
import { postgresAvailable, postgresForSuite } from "../../helpers/postgres.js";
import { sqlDatabaseSuite } from "./sql-database-suite.js";

describe.skipIf(!postgresAvailable())("PostgresDatabase", () => {
  const cluster = postgresForSuite();
  let databases = 0;
  const opened: PostgresDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  const open = async (poolSize?: number): Promise<PostgresDatabase> => {
    const dsn = await cluster.createDatabase(`pgdb_${++databases}`);
    const db = await PostgresDatabase.connect({ name: "app", dsn, poolSize });
    opened.push(db);
    return db;
  };
  const withItems = async (): Promise<PostgresDatabase> => {
    const db = await open();
    await db.execute("CREATE TABLE items (id BIGSERIAL PRIMARY KEY, name TEXT, n INTEGER)");
    return db;
  };

  it("binds $N parameters and returns rows, with counts as numbers", async () => {
    const db = await withItems();
    await db.execute("INSERT INTO items (name) VALUES ($1), ($2)", ["tea", "jam"]);
    expect(await db.query("SELECT name FROM items WHERE name = $1", ["jam"])).toEqual([
      { name: "jam" },
    ]);
    expect(await db.query("SELECT count(*) AS n FROM items")).toEqual([{ n: 2 }]);
    expect(await db.query("SELECT $1::text AS missing", [undefined])).toEqual([{ missing: null }]);
  });

  it("execute reports the row count and the id a RETURNING clause gave", async () => {
    const db = await withItems();
    expect(await db.execute("INSERT INTO items (name) VALUES ($1) RETURNING id", ["tea"])).toEqual({
      affectedRows: 1,
      lastId: "1",
    });
    expect(await db.execute("INSERT INTO items (name) VALUES ($1)", ["jam"])).toEqual({
      affectedRows: 1,
      lastId: undefined,
    });
    expect(await db.execute("UPDATE items SET n = 1")).toEqual({
      affectedRows: 2,
      lastId: undefined,
    });
  });

  sqlDatabaseSuite(() => open(), "BIGSERIAL PRIMARY KEY");

  it("a failed statement rolls back the transaction, and the connection is reusable", async () => {
    const db = await open(1);
    await db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY)");
    await expect(
      db.transaction(async (tx) => {
        await tx.execute("INSERT INTO items (id) VALUES (1)");
        await tx.execute("INSERT INTO items (id) VALUES (1)");
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.query("SELECT count(*) AS n FROM items")).toEqual([{ n: 0 }]);
  });

  it("opens at most pool_size connections", async () => {
    const db = await open(2);
    const rows = await Promise.all(
      Array.from({ length: 6 }, () => db.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.05)")),
    );
    expect(new Set(rows.map(([row]) => row?.pid)).size).toBe(2);
  });

  it("fails to connect with WF_ERR_DATABASE and never shows the password", async () => {
    // Port 1 on localhost: nothing listens there.
    const dsn = "postgresql://app:s3cret-pw@127.0.0.1:1/app";
    const err = await PostgresDatabase.connect({ name: "orders", dsn }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(WfError.is(err) && err.code).toBe("WF_ERR_DATABASE");
    const message = (err as Error).message;
    expect(message).toContain('database "orders"');
    expect(message).toContain("postgresql://app:***@127.0.0.1:1/app");
    expect(message).not.toContain("s3cret-pw");
  });

  it("reports a database the server does not have as WF_ERR_DATABASE", async () => {
    const dsn = cluster.dsn.replace(/\/postgres$/, "/nowhere");
    const err = await PostgresDatabase.connect({ name: "orders", dsn }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(WfError.is(err) && err.code).toBe("WF_ERR_DATABASE");
    expect((err as Error).message).toMatch(/database "nowhere" does not exist/);
  });
});
