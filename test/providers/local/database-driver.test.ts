import { chmodSync, existsSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ErrResourceNotFound,
  ErrValidation,
  errorIs,
  type ResourceDriver,
} from "../../../src/contracts/index.js";
import { postgresBinaries } from "../../../src/providers/local/postgres-binaries.js";
import { localHarness } from "./local-harness.js";

const TYPE = "infra.database";
type Harness = Awaited<ReturnType<typeof localHarness>>;

const hasPostgres = await postgresBinaries().then(
  () => true,
  () => false,
);

describe("local infra.database", () => {
  let h: Harness;
  let driver: ResourceDriver;
  beforeEach(async () => {
    h = await localHarness();
    driver = h.provider.resourceDriver(TYPE);
  });
  afterEach(async () => {
    expect(await h.cleanup()).toEqual([]);
  });

  it("sqlite: a private database file that outlives delete unless delete_data is set", async () => {
    const spec = h.spec(TYPE, "appdb", { engine: "sqlite" });
    const created = await driver.create(spec);
    const file = created.outputs.path as string;
    expect(created.outputs.uri).toBe(`sqlite://${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await driver.sensitiveKeys()).toEqual(["password", "uri"]);
    const db = new Database(file);
    db.exec("CREATE TABLE kept (x INTEGER); INSERT INTO kept VALUES (7)");
    db.close();

    await driver.delete(created);
    await expect(driver.read(created)).rejects.toSatisfy((e) => errorIs(e, ErrResourceNotFound));
    const again = await driver.create(spec);
    expect(again.provider_id).not.toBe(created.provider_id);
    const reopened = new Database(again.outputs.path as string, { readonly: true });
    expect(reopened.prepare("SELECT x FROM kept").get()).toEqual({ x: 7 });
    reopened.close();

    const purge = {
      ...spec,
      config: { ...spec.config, provider_specific: { local: { delete_data: true } } },
    };
    await driver.update(again, purge);
    await driver.delete(again);
    expect(existsSync(h.provider.workdir().dir(TYPE, "appdb"))).toBe(false);
  });

  it("plans a replace for a new engine or database name, an update for tags", async () => {
    const spec = h.spec(TYPE, "diffdb", { engine: "sqlite" });
    const created = await driver.create(spec);
    const retag = await driver.diff(
      { ...spec, config: { engine: "sqlite", tags: ["a"] } },
      created,
    );
    expect(retag).toMatchObject({ needs_update: true, needs_replace: false });
    const rename = await driver.diff(
      { ...spec, config: { engine: "sqlite", database: "x" } },
      created,
    );
    expect(rename).toMatchObject({ needs_replace: true });
    expect(rename.changes).toEqual([{ path: "database", old: null, new: "x", force_new: true }]);
  });

  it("refuses an engine it cannot run", async () => {
    await expect(driver.create(h.spec(TYPE, "mydb", { engine: "mysql" }))).rejects.toSatisfy((e) =>
      errorIs(e, ErrValidation),
    );
  });

  it.skipIf(!hasPostgres)(
    "postgres: its own role and database on a free port, data kept across delete and create",
    { timeout: 60_000 },
    async () => {
      // As root, PostgreSQL runs as `postgres`, which must be able to enter the project.
      chmodSync(h.project.dir, 0o711);
      const spec = h.spec(TYPE, "pgdb", { engine: "postgres", user: "app_user" });
      const created = await driver.create(spec);
      h.track(TYPE, "pgdb");
      expect(created.outputs).toMatchObject({
        host: "127.0.0.1",
        database: "pgdb",
        user: "app_user",
      });
      expect(created.sensitive).toEqual({ password: true, uri: true });
      const client = new pg.Client({ connectionString: created.outputs.uri as string });
      await client.connect();
      const who = await client.query("SELECT current_user AS u, current_database() AS d");
      expect(who.rows[0]).toEqual({ u: "app_user", d: "pgdb" });
      await client.query("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
      await client.end();
      expect(await driver.read(created)).toEqual(await driver.read(created));

      await driver.delete(created);
      await expect(driver.read(created)).rejects.toSatisfy((e) => errorIs(e, ErrResourceNotFound));
      const again = await driver.create(spec);
      h.track(TYPE, "pgdb");
      const reconnect = new pg.Client({ connectionString: again.outputs.uri as string });
      await reconnect.connect();
      expect((await reconnect.query("SELECT x FROM kept")).rows).toEqual([{ x: 42 }]);
      await reconnect.end();
    },
  );
});
