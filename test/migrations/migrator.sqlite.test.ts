import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WfError } from "../../src/diagnostics/index.js";
import {
  type MigrationDatabase,
  Migrator,
  openMigrationDatabase,
  readMigrationSet,
} from "../../src/migrations/index.js";

const base = {
  "1_items.up.sql": "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
  "1_items.down.sql": "DROP TABLE items;",
  "2_seed.up.sql": "INSERT INTO items (name) VALUES ('tea');",
  "2_seed.down.sql": "DELETE FROM items;",
  "10_users.up.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY);",
  "10_users.down.sql": "DROP TABLE users;",
};

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!WfError.is(err)) throw new Error(`expected a WfError, got ${String(err)}`);
  return { code: err.code, message: err.message };
}

describe("Migrator on SQLite", () => {
  let dir: string;
  let file: string;
  const open: MigrationDatabase[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "wfctl-migrator-"));
    file = path.join(dir, "app.db");
  });
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const migrator = async (files: Record<string, string>, scope?: string) => {
    const db = await openMigrationDatabase(`sqlite:${file}`);
    open.push(db);
    return new Migrator(db, await readMigrationSet({ files }), scope ? { scope } : {});
  };
  const tables = () => {
    const db = new Database(file, { readonly: true });
    try {
      return (
        db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'wfctl_%' ORDER BY name",
          )
          .all() as { name: string }[]
      ).map((r) => r.name);
    } finally {
      db.close();
    }
  };

  it("applies pending migrations in numeric order, records them, and then has nothing to do", async () => {
    const m = await migrator(base);
    const order: number[] = [];
    const outcome = await new Migrator(
      open[0] as MigrationDatabase,
      await readMigrationSet({ files: base }),
      { onStep: (d) => order.push(d.version) },
    ).up();
    expect(order).toEqual([1, 2, 10]);
    expect(outcome.current).toBe(10);
    expect(tables()).toEqual(["items", "users"]);
    const status = await m.status();
    expect(status.current).toBe(10);
    expect(status.dirty).toBe(false);
    expect(status.pending).toEqual([]);
    expect(status.applied.map((a) => a.version)).toEqual([1, 2, 10]);
    expect(status.applied[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(status.applied[0]?.appliedAt ?? "")).not.toBeNaN();
    expect((await m.up()).done).toEqual([]);
  });

  it("up N, down N and goto move exactly that far, in either direction", async () => {
    const m = await migrator(base);
    expect((await m.up(1)).current).toBe(1);
    expect((await m.goto(10)).done.map((d) => d.version)).toEqual([2, 10]);
    expect((await m.down(2)).done.map((d) => d.version)).toEqual([10, 2]);
    expect(tables()).toEqual(["items"]);
    expect((await m.status()).current).toBe(1);
    expect((await m.goto(0)).current).toBeUndefined();
    expect(tables()).toEqual([]);
    expect(await codeOf(m.goto(5))).toMatchObject({
      code: "WF_ERR_MIGRATION_INVALID",
      message: expect.stringContaining("there is no migration version 5"),
    });
  });

  it("rolls a failing migration back whole, naming the file, line and statement", async () => {
    const m = await migrator({
      ...base,
      "3_broken.up.sql": "CREATE TABLE extra (x int);\n\nINSERT INTO missing VALUES (1);\n",
    });
    const failure = await codeOf(m.up());
    expect(failure.code).toBe("WF_ERR_MIGRATION_FAILED");
    expect(failure.message).toContain("3_broken.up.sql:3:1: up 3 failed: no such table: missing");
    expect(failure.message).toContain("in: INSERT INTO missing VALUES (1)");
    expect(failure.message).toContain("rolled back: the database stays at version 2");
    // The file's first statement went with it; the earlier migrations stay.
    expect(tables()).toEqual(["items"]);
    const status = await m.status();
    expect(status).toMatchObject({ current: 2, dirty: false });
    expect(status.pending.map((p) => p.version)).toEqual([3, 10]);
  });

  it("marks a failed no-transaction migration dirty, refuses to move, and repairs only as asked", async () => {
    const broken = {
      "1_items.up.sql": base["1_items.up.sql"],
      "2_vacuum.up.sql": "-- wfctl:no-transaction\nVACUUM;\nINSERT INTO missing VALUES (1);\n",
    };
    const m = await migrator(broken);
    const failure = await codeOf(m.up());
    expect(failure.message).toContain("now dirty at version 2");
    expect(await m.status()).toMatchObject({ current: 2, dirty: true });
    expect((await codeOf(m.up())).code).toBe("WF_ERR_MIGRATION_DIRTY");
    expect((await codeOf(m.down(1))).code).toBe("WF_ERR_MIGRATION_DIRTY");

    const repair = {
      expectedDirtyVersion: "2",
      forceVersion: "1",
      confirmForce: "FORCE_MIGRATION_METADATA",
    };
    expect(await codeOf(m.repair({ ...repair, confirmForce: "yes" }))).toMatchObject({
      message: 'confirm_force must equal "FORCE_MIGRATION_METADATA"',
    });
    expect(await codeOf(m.repair({ ...repair, thenUp: true, upIfClean: true }))).toMatchObject({
      message: "then_up and up_if_clean are mutually exclusive",
    });
    expect(await codeOf(m.repair({ ...repair, expectedDirtyVersion: "3" }))).toMatchObject({
      code: "WF_ERR_MIGRATION_INVALID",
      message: expect.stringContaining("dirty at version 2, not at the expected 3"),
    });
    expect(await codeOf(m.repair({ ...repair, forceVersion: "7" }))).toMatchObject({
      code: "WF_ERR_MIGRATION_INVALID",
    });
    expect(await m.status()).toMatchObject({ current: 2, dirty: true });

    // Fixed by hand; forced back to 1 and re-run with the corrected file.
    const fixed = await migrator({
      ...broken,
      "2_vacuum.up.sql": "-- wfctl:no-transaction\nVACUUM;\n",
    });
    const repaired = await fixed.repair({ ...repair, thenUp: true });
    expect(repaired.found).toEqual({ version: 2, dirty: true });
    expect(repaired.forced).toBe(1);
    expect(repaired.up?.done.map((d) => d.version)).toEqual([2]);
    expect(await fixed.status()).toMatchObject({ current: 2, dirty: false });
    expect(await codeOf(fixed.repair(repair))).toMatchObject({
      message: expect.stringContaining("not dirty (at version 2); nothing to repair"),
    });
    expect((await fixed.repair({ ...repair, upIfClean: true })).up?.done).toEqual([]);
  });

  it("forcing the dirty version records it as applied", async () => {
    const files = {
      "1_bad.up.sql":
        "-- wfctl:no-transaction\nCREATE TABLE half (x int);\nINSERT INTO missing VALUES (1);\n",
    };
    const m = await migrator(files);
    await codeOf(m.up());
    expect(tables()).toEqual(["half"]);
    await m.repair({
      expectedDirtyVersion: "1",
      forceVersion: "1",
      confirmForce: "FORCE_MIGRATION_METADATA",
    });
    const status = await m.status();
    expect(status).toMatchObject({ current: 1, dirty: false, pending: [] });
    expect(status.applied[0]?.durationMs).toBeUndefined();
  });

  it("reports files changed after they were applied and refuses to migrate past them", async () => {
    await (await migrator(base)).up(1);
    const edited = await migrator({
      ...base,
      "1_items.up.sql": `${base["1_items.up.sql"]}\n-- edited`,
    });
    const status = await edited.status();
    expect(status.changed.map((c) => c.version)).toEqual([1]);
    expect((await codeOf(edited.up())).message).toContain(
      "1_items.up.sql: changed after it was applied",
    );
  });

  it("refuses a never-applied migration older than the current version instead of skipping it", async () => {
    await (await migrator(base)).up();
    const late = await migrator({ ...base, "5_late.up.sql": "CREATE TABLE late (x int);" });
    expect((await late.status()).outOfOrder.map((m) => m.version)).toEqual([5]);
    expect(await codeOf(late.up())).toMatchObject({
      code: "WF_ERR_MIGRATION_INVALID",
      message: expect.stringContaining(
        "5_late.up.sql: version 5 is older than the current version 10 and was never applied; renumber it above 10",
      ),
    });
  });

  it("refuses to roll back a migration without a down file, naming the file to write", async () => {
    const m = await migrator({ "1_x.up.sql": "CREATE TABLE x (a int);" });
    await m.up();
    expect(await codeOf(m.down(1))).toMatchObject({
      code: "WF_ERR_MIGRATION_FILES",
      message: expect.stringContaining("write 1_x.down.sql"),
    });
  });

  it("dry runs change nothing, not even the runner's tables", async () => {
    const m = await migrator(base);
    const outcome = await m.up(undefined, true);
    expect(outcome.steps.map((s) => s.migration.version)).toEqual([1, 2, 10]);
    expect(outcome.done).toEqual([]);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master").get()).toEqual({ n: 0 });
    db.close();
  });

  it("keeps each scope's version and history apart", async () => {
    await (await migrator({ "1_a.up.sql": "CREATE TABLE a (x int);" }, "module/a")).up();
    const b = await migrator(
      { "1_b.up.sql": "CREATE TABLE b (x int);", "2_b.up.sql": "SELECT 1;" },
      "module/b",
    );
    await b.up();
    expect((await b.status()).current).toBe(2);
    expect((await (await migrator({}, "module/a")).status()).current).toBe(1);
  });
});
