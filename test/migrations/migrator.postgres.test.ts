import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { WfError } from "../../src/diagnostics/index.js";
import {
  type MigrationDatabase,
  type MigrationSet,
  Migrator,
  type MigratorOptions,
  openMigrationDatabase,
  readMigrationSet,
} from "../../src/migrations/index.js";
import { postgresAvailable, postgresForSuite } from "../helpers/postgres.js";

describe.skipIf(!postgresAvailable())("migrations runner on PostgreSQL", () => {
  const cluster = postgresForSuite();
  let databases = 0;
  const opened: MigrationDatabase[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh database for one test. */
  const freshDatabase = () => cluster.createDatabase(`migrator_${++databases}`);

  const open = async (dsn: string): Promise<MigrationDatabase> => {
    const db = await openMigrationDatabase(dsn);
    opened.push(db);
    return db;
  };

  /** A temporary migrations folder holding `files`; returns the folder. */
  const folder = (files: Record<string, string>): string => {
    const dir = mkdtempSync(path.join(tmpdir(), "wfctl-migrations-"));
    dirs.push(dir);
    write(dir, files);
    return dir;
  };
  const write = (dir: string, files: Record<string, string>): void => {
    for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  };
  /** How a file of `dir` is named in messages. */
  const shown = (dir: string, name: string): string =>
    path.join(path.relative(process.cwd(), dir), name);

  const migrator = async (dsn: string, dir: string, options?: MigratorOptions): Promise<Migrator> =>
    new Migrator(await open(dsn), await readMigrationSet({ dir }), options);

  /** Runs one query on its own connection (as a person with psql would look). */
  const query = async <T extends Record<string, unknown>>(
    dsn: string,
    text: string,
    params: unknown[] = [],
  ): Promise<T[]> => {
    const client = new pg.Client({ connectionString: dsn });
    await client.connect();
    try {
      return (await client.query<T>(text, params)).rows;
    } finally {
      await client.end();
    }
  };
  const tableExists = async (dsn: string, table: string): Promise<boolean> => {
    const [row] = await query<{ ok: boolean }>(dsn, "SELECT to_regclass($1) IS NOT NULL AS ok", [
      table,
    ]);
    return row?.ok === true;
  };

  /** The WfError `promise` rejects with (fails the test if it resolves). */
  const rejection = async (promise: Promise<unknown>): Promise<WfError> => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!WfError.is(err)) throw new Error(`expected a WfError, got ${String(err)}`);
    return err;
  };

  const versions = (items: readonly { version: number }[]): number[] => items.map((i) => i.version);

  it("applies every pending migration in numeric order, reports it, and a second up does nothing", async () => {
    const dsn = await freshDatabase();
    const files = {
      "1_log.up.sql": "CREATE TABLE run_log (id SERIAL PRIMARY KEY, version INT NOT NULL);\n",
      "2_note.up.sql":
        "ALTER TABLE run_log ADD COLUMN note TEXT;\nINSERT INTO run_log (version) VALUES (2);\n",
      // Needs the column migration 2 adds: run before 2, it would fail.
      "10_ten.up.sql": "INSERT INTO run_log (version, note) VALUES (10, 'ten');\n",
    };
    const dir = folder(files);
    const steps: number[] = [];
    const m = await migrator(dsn, dir, { onStep: (s) => steps.push(s.version) });

    const before = await m.status();
    expect(before.current).toBeUndefined();
    expect(before.applied).toEqual([]);
    expect(versions(before.pending)).toEqual([1, 2, 10]);
    // Looking never creates the runner's tables.
    expect(await tableExists(dsn, "wfctl_schema_migrations")).toBe(false);

    const started = Date.now();
    const outcome = await m.up();
    expect(versions(outcome.done)).toEqual([1, 2, 10]);
    expect(outcome.done.map((d) => d.direction)).toEqual(["up", "up", "up"]);
    expect(outcome.current).toBe(10);
    expect(steps).toEqual([1, 2, 10]);
    expect(await query(dsn, "SELECT version, note FROM run_log ORDER BY id")).toEqual([
      { version: 2, note: null },
      { version: 10, note: "ten" },
    ]);

    const status = await m.status();
    expect(status.current).toBe(10);
    expect(status.dirty).toBe(false);
    expect(status.pending).toEqual([]);
    expect(status.changed).toEqual([]);
    expect(versions(status.applied)).toEqual([1, 2, 10]);
    for (const applied of status.applied) {
      const name = Object.keys(files).find((f) => f.startsWith(`${applied.version}_`)) as string;
      expect(applied.checksum).toBe(
        createHash("sha256")
          .update(files[name as keyof typeof files])
          .digest("hex"),
      );
      const at = Date.parse(applied.appliedAt);
      expect(at).toBeGreaterThanOrEqual(started - 5_000);
      expect(at).toBeLessThanOrEqual(Date.now() + 5_000);
      expect(applied.durationMs).toBeTypeOf("number");
      expect(applied.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(status.applied.map((a) => a.description)).toEqual(["log", "note", "ten"]);

    const again = await m.up();
    expect(again.steps).toEqual([]);
    expect(again.done).toEqual([]);
    expect(again.current).toBe(10);
    expect(await query(dsn, "SELECT count(*)::int AS n FROM run_log")).toEqual([{ n: 2 }]);
  });

  it("rolls a failing migration back whole and names the statement that failed", async () => {
    const dsn = await freshDatabase();
    const dir = folder({
      "1_users.up.sql": "CREATE TABLE users (id INT PRIMARY KEY);\n",
      "2_orders.up.sql": [
        "-- orders and their first row",
        "CREATE TABLE orders (id INT PRIMARY KEY);",
        "",
        "  INSERT INTO missing_table (id) VALUES (1);",
        "",
      ].join("\n"),
      "3_later.up.sql": "CREATE TABLE later (id INT);\n",
    });
    const m = await migrator(dsn, dir);

    const err = await rejection(m.up());
    expect(err.code).toBe("WF_ERR_MIGRATION_FAILED");
    expect(err.message).toContain(`${shown(dir, "2_orders.up.sql")}:4:3:`);
    expect(err.message).toContain("INSERT INTO missing_table (id) VALUES (1)");
    expect(err.message).toContain('relation "missing_table" does not exist');
    expect(err.message).toContain("rolled back");
    expect(err.message).toContain("stays at version 1");

    // Transactional DDL: the CREATE TABLE before the failing statement is undone.
    expect(await tableExists(dsn, "orders")).toBe(false);
    expect(await tableExists(dsn, "users")).toBe(true);
    expect(await tableExists(dsn, "later")).toBe(false);

    const status = await m.status();
    expect(status.current).toBe(1);
    expect(status.dirty).toBe(false);
    expect(versions(status.applied)).toEqual([1]);
    expect(versions(status.pending)).toEqual([2, 3]);
  });

  it("runs a no-transaction file outside a transaction (CREATE INDEX CONCURRENTLY)", async () => {
    const dsn = await freshDatabase();
    const concurrently = "CREATE INDEX CONCURRENTLY items_name ON items (name);\n";
    const dir = folder({
      "1_items.up.sql": "CREATE TABLE items (id INT PRIMARY KEY, name TEXT);\n",
      "2_index.up.sql": `-- wfctl:no-transaction\n${concurrently}`,
    });
    // The same statement in a (transactional) migration is refused by PostgreSQL.
    const inTransaction = await freshDatabase();
    const refused = await rejection(
      new Migrator(
        await open(inTransaction),
        await readMigrationSet({
          files: {
            "1_items.up.sql": "CREATE TABLE items (id INT PRIMARY KEY, name TEXT);\n",
            "2_index.up.sql": concurrently,
          },
        }),
      ).up(),
    );
    expect(refused.code).toBe("WF_ERR_MIGRATION_FAILED");
    expect(refused.message).toContain("cannot run inside a transaction block");

    const m = await migrator(dsn, dir);
    const outcome = await m.up();
    expect(versions(outcome.done)).toEqual([1, 2]);
    expect(await query(dsn, "SELECT indexname FROM pg_indexes WHERE tablename = 'items'")).toEqual(
      expect.arrayContaining([{ indexname: "items_name" }]),
    );
    const status = await m.status();
    expect(status.current).toBe(2);
    expect(status.dirty).toBe(false);
    expect(versions(status.applied)).toEqual([1, 2]);
  });

  describe("a no-transaction migration that fails half-way", () => {
    const broken = {
      "1_base.up.sql": "CREATE TABLE base (id INT PRIMARY KEY);\n",
      "1_base.down.sql": "DROP TABLE base;\n",
      "2_half.up.sql": [
        "-- wfctl:no-transaction",
        "CREATE TABLE half (id INT);",
        "INSERT INTO not_there (id) VALUES (1);",
        "",
      ].join("\n"),
    };
    const fixed = {
      "2_half.up.sql": [
        "-- wfctl:no-transaction",
        "CREATE TABLE IF NOT EXISTS half (id INT);",
        "INSERT INTO half (id) VALUES (1);",
        "",
      ].join("\n"),
    };

    /** A database left dirty at version 2, and the folder of its files. */
    const dirtyDatabase = async () => {
      const dsn = await freshDatabase();
      const dir = folder(broken);
      const m = await migrator(dsn, dir);
      const err = await rejection(m.up());
      expect(err.code).toBe("WF_ERR_MIGRATION_FAILED");
      expect(err.message).toContain(`${shown(dir, "2_half.up.sql")}:3:1:`);
      expect(err.message).toContain("INSERT INTO not_there (id) VALUES (1)");
      expect(err.message).toContain("dirty at version 2");
      expect(err.message).toContain("wfctl migrate repair");
      return { dsn, dir, m };
    };

    it("leaves the database dirty at its version; up and down refuse until repaired", async () => {
      const { dsn, m } = await dirtyDatabase();
      // Outside a transaction, what ran before the failure stays.
      expect(await tableExists(dsn, "half")).toBe(true);
      const status = await m.status();
      expect(status.current).toBe(2);
      expect(status.dirty).toBe(true);
      expect(versions(status.applied)).toEqual([1]);

      const up = await rejection(m.up());
      expect(up.code).toBe("WF_ERR_MIGRATION_DIRTY");
      expect(up.message).toContain("dirty at version 2");
      const down = await rejection(m.down(1));
      expect(down.code).toBe("WF_ERR_MIGRATION_DIRTY");
      const goto = await rejection(m.goto(0));
      expect(goto.code).toBe("WF_ERR_MIGRATION_DIRTY");
      expect(await tableExists(dsn, "base")).toBe(true);
    });

    it("repair refuses a wrong expected version or confirmation and changes nothing", async () => {
      const { m } = await dirtyDatabase();
      const before = await m.status();

      const wrong = await rejection(
        m.repair({
          expectedDirtyVersion: "3",
          forceVersion: "1",
          confirmForce: "FORCE_MIGRATION_METADATA",
        }),
      );
      expect(wrong.code).toBe("WF_ERR_MIGRATION_INVALID");
      expect(wrong.message).toContain("dirty at version 2, not at the expected 3");
      expect(wrong.message).toContain("nothing changed");

      const unconfirmed = await m
        .repair({ expectedDirtyVersion: "2", forceVersion: "1", confirmForce: "yes" })
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(unconfirmed).toBeInstanceOf(Error);
      expect(unconfirmed?.message).toContain('confirm_force must equal "FORCE_MIGRATION_METADATA"');

      const after = await m.status();
      expect(after.current).toBe(before.current);
      expect(after.dirty).toBe(true);
      expect(after.applied).toEqual(before.applied);
    });

    it("repair to the previous version clears dirty; up then applies the fixed file", async () => {
      const { dsn, dir, m } = await dirtyDatabase();
      const outcome = await m.repair({
        expectedDirtyVersion: "2",
        forceVersion: "1",
        confirmForce: "FORCE_MIGRATION_METADATA",
      });
      expect(outcome.found).toEqual({ version: 2, dirty: true });
      expect(outcome.forced).toBe(1);
      expect(outcome.up).toBeUndefined();
      const repaired = await m.status();
      expect(repaired.current).toBe(1);
      expect(repaired.dirty).toBe(false);
      expect(versions(repaired.pending)).toEqual([2]);

      write(dir, fixed);
      const after = await migrator(dsn, dir);
      expect(versions((await after.up()).done)).toEqual([2]);
      expect((await after.status()).current).toBe(2);
      expect(await query(dsn, "SELECT id FROM half")).toEqual([{ id: 1 }]);
    });

    it("repair with thenUp applies the fixed file in the same run", async () => {
      const { dsn, dir } = await dirtyDatabase();
      write(dir, fixed);
      const m = await migrator(dsn, dir);
      const outcome = await m.repair({
        expectedDirtyVersion: "2",
        forceVersion: "1",
        confirmForce: "FORCE_MIGRATION_METADATA",
        thenUp: true,
      });
      expect(outcome.found).toEqual({ version: 2, dirty: true });
      expect(outcome.forced).toBe(1);
      expect(versions(outcome.up?.done ?? [])).toEqual([2]);
      const status = await m.status();
      expect(status.current).toBe(2);
      expect(status.dirty).toBe(false);
      expect(versions(status.applied)).toEqual([1, 2]);
      expect(await query(dsn, "SELECT id FROM half")).toEqual([{ id: 1 }]);
    });
  });

  it("rolls back with down files, goes to a version either way, and refuses what it cannot do", async () => {
    const dsn = await freshDatabase();
    const dir = folder({
      "1_base.up.sql": "CREATE TABLE base (id INT);\n",
      "2_two.up.sql": "CREATE TABLE two (id INT);\n",
      "2_two.down.sql": "DROP TABLE two;\n",
      "3_three.up.sql": "CREATE TABLE three (id INT);\n",
      "3_three.down.sql": "DROP TABLE three;\n",
    });
    const m = await migrator(dsn, dir);
    await m.up();
    const tables = async () =>
      Promise.all(["base", "two", "three"].map((t) => tableExists(dsn, t)));

    const down = await m.down(1);
    expect(down.done.map((d) => [d.direction, d.version])).toEqual([["down", 3]]);
    expect(down.current).toBe(2);
    expect(await tables()).toEqual([true, true, false]);
    expect((await m.status()).current).toBe(2);
    expect(versions((await m.status()).applied)).toEqual([1, 2]);

    const upTo3 = await m.goto(3);
    expect(upTo3.done.map((d) => [d.direction, d.version])).toEqual([["up", 3]]);
    expect(await tables()).toEqual([true, true, true]);

    const downTo1 = await m.goto(1);
    expect(downTo1.done.map((d) => [d.direction, d.version])).toEqual([
      ["down", 3],
      ["down", 2],
    ]);
    expect(await tables()).toEqual([true, false, false]);
    const at1 = await m.status();
    expect(at1.current).toBe(1);
    expect(versions(at1.pending)).toEqual([2, 3]);

    const upTo2 = await m.goto(2);
    expect(versions(upTo2.done)).toEqual([2]);
    expect((await m.status()).current).toBe(2);

    const unknown = await rejection(m.goto(99));
    expect(unknown.code).toBe("WF_ERR_MIGRATION_INVALID");
    expect(unknown.message).toContain("no migration version 99");

    // Version 1 has no down file: going below it refuses before rolling anything back.
    const noDown = await rejection(m.goto(0));
    expect(noDown.code).toBe("WF_ERR_MIGRATION_FILES");
    expect(noDown.message).toContain("cannot be rolled back");
    expect(noDown.message).toContain(`write ${shown(dir, "1_base.down.sql")}`);
    const noDownEither = await rejection(m.down(2));
    expect(noDownEither.message).toContain(`write ${shown(dir, "1_base.down.sql")}`);
    expect((await m.status()).current).toBe(2);
    expect(await tables()).toEqual([true, true, false]);
  });

  describe("concurrent runs", () => {
    const logged = (version: number) =>
      `INSERT INTO migration_log (version) VALUES (${version});\nSELECT pg_sleep(0.05);\n`;
    const files = {
      "1_log.up.sql": `CREATE TABLE migration_log (version INT NOT NULL);\n${logged(1)}`,
      "2_b.up.sql": logged(2),
      "3_c.up.sql": logged(3),
      "4_d.up.sql": logged(4),
      "5_e.up.sql": logged(5),
    };

    it("two runners on two connections apply each migration exactly once", async () => {
      const dsn = await freshDatabase();
      const set = await readMigrationSet({ files });
      const [a, b] = [new Migrator(await open(dsn), set), new Migrator(await open(dsn), set)];

      const outcomes = await Promise.all([a.up(), b.up()]);

      expect(
        await query(
          dsn,
          "SELECT version, count(*)::int AS n FROM migration_log GROUP BY version ORDER BY version",
        ),
      ).toEqual([1, 2, 3, 4, 5].map((version) => ({ version, n: 1 })));
      // The lock is held for a whole run: the one that waited finds nothing left to do.
      const applied = outcomes.map((o) => versions(o.done)).sort((x, y) => x.length - y.length);
      expect(applied).toEqual([[], [1, 2, 3, 4, 5]]);
      expect(outcomes.map((o) => o.current)).toEqual([5, 5]);
      expect((await a.status()).current).toBe(5);
    });

    it("gives up with WF_ERR_MIGRATION_LOCKED after lockTimeoutMs while another run holds the lock", async () => {
      const dsn = await freshDatabase();
      const holder = new Migrator(
        await open(dsn),
        await readMigrationSet({ files: { "1_slow.up.sql": "SELECT pg_sleep(1.5);\n" } }),
      );
      const running = holder.up();
      // Wait until the holder has taken its (advisory) lock.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [row] = await query<{ n: number }>(
          dsn,
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted",
        );
        if ((row?.n ?? 0) > 0) break;
        if (Date.now() > deadline) throw new Error("the first run never took the lock");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }

      const waiter = new Migrator(
        await open(dsn),
        await readMigrationSet({ files: { "1_slow.up.sql": "SELECT pg_sleep(1.5);\n" } }),
        { lockTimeoutMs: 200 },
      );
      const started = Date.now();
      const err = await rejection(waiter.up());
      expect(err.code).toBe("WF_ERR_MIGRATION_LOCKED");
      expect(err.message).toContain("another migration run still holds the lock");
      expect(Date.now() - started).toBeLessThan(1_400);

      expect(versions((await running).done)).toEqual([1]);
      // Once released, the waiter gets in and finds nothing to do.
      expect((await waiter.up()).done).toEqual([]);
    });
  });

  it("a wrong password fails with WF_ERR_DATABASE without printing the password", async () => {
    const dsn = await freshDatabase();
    // This cluster trusts every local connection: require a password of one role.
    await query(cluster.dsn, "CREATE ROLE wf_pw LOGIN PASSWORD 'right-Pa55'");
    const [hba] = await query<{ hba_file: string }>(cluster.dsn, "SHOW hba_file");
    const rules = [
      "host all wf_pw 127.0.0.1/32 scram-sha-256",
      "local all all trust",
      "host all all 127.0.0.1/32 trust",
      "host all all ::1/128 trust",
    ];
    await query(
      cluster.dsn,
      `COPY (VALUES ${rules.map((r) => `('${r}')`).join(", ")}) TO '${hba?.hba_file}'`,
    );
    await query(cluster.dsn, "SELECT pg_reload_conf()");
    const url = new URL(dsn);
    url.username = "wf_pw";
    url.password = "right-Pa55";
    // Give the reload a moment: the right password connects, so the rule is in force.
    for (let i = 0; ; i++) {
      const ok = await openMigrationDatabase(url.toString()).then(
        async (db) => {
          await db.close();
          return true;
        },
        () => false,
      );
      if (ok) break;
      if (i > 50) throw new Error("the right password never connected");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const secret = "Wr0ng-s3cret-value";
    url.password = secret;
    const err = await rejection(openMigrationDatabase(url.toString()));
    expect(err.code).toBe("WF_ERR_DATABASE");
    expect(err.message).toContain("password authentication failed");
    expect(err.message).not.toContain(secret);
    expect(err.message).toContain("wf_pw:***@");
  });

  it("notices an applied file that changed and refuses to go on", async () => {
    const dsn = await freshDatabase();
    const dir = folder({
      "1_a.up.sql": "CREATE TABLE a (id INT);\n",
      "2_b.up.sql": "CREATE TABLE b (id INT);\n",
    });
    await (await migrator(dsn, dir)).up();
    const before = await (await migrator(dsn, dir)).status();

    write(dir, {
      "1_a.up.sql": "CREATE TABLE a (id INT, extra TEXT);\n",
      "3_c.up.sql": "CREATE TABLE c (id INT);\n",
    });
    const m = await migrator(dsn, dir);
    const status = await m.status();
    expect(status.changed).toEqual([
      {
        version: 1,
        file: shown(dir, "1_a.up.sql"),
        appliedChecksum: before.applied[0]?.checksum,
        checksum: createHash("sha256")
          .update("CREATE TABLE a (id INT, extra TEXT);\n")
          .digest("hex"),
      },
    ]);

    const err = await rejection(m.up());
    expect(err.code).toBe("WF_ERR_MIGRATION_INVALID");
    expect(err.message).toContain(`${shown(dir, "1_a.up.sql")}: changed after it was applied`);
    expect(await tableExists(dsn, "c")).toBe(false);
    expect((await m.status()).current).toBe(2);
  });

  it("keeps the versions of separate scopes apart in one database", async () => {
    const dsn = await freshDatabase();
    const setA: MigrationSet = await readMigrationSet({
      files: {
        "1_a1.up.sql": "CREATE TABLE a1 (id INT);\n",
        "2_a2.up.sql": "CREATE TABLE a2 (id INT);\n",
      },
    });
    const setB: MigrationSet = await readMigrationSet({
      files: {
        "1_b1.up.sql": "CREATE TABLE b1 (id INT);\n",
        "1_b1.down.sql": "DROP TABLE b1;\n",
      },
    });
    const a = new Migrator(await open(dsn), setA, { scope: "a" });
    const b = new Migrator(await open(dsn), setB, { scope: "b" });

    expect(versions((await a.up()).done)).toEqual([1, 2]);
    const bBefore = await b.status();
    expect(bBefore.scope).toBe("b");
    expect(bBefore.current).toBeUndefined();
    expect(versions(bBefore.pending)).toEqual([1]);
    // a's versions are not b's: nothing of a's looks changed or missing to b.
    expect(bBefore.changed).toEqual([]);
    expect(bBefore.missingFiles).toEqual([]);

    expect(versions((await b.up()).done)).toEqual([1]);
    expect(await tableExists(dsn, "b1")).toBe(true);
    expect((await a.status()).current).toBe(2);
    expect((await b.status()).current).toBe(1);

    await b.down(1);
    expect(await tableExists(dsn, "b1")).toBe(false);
    const aAfter = await a.status();
    expect(aAfter.current).toBe(2);
    expect(versions(aAfter.applied)).toEqual([1, 2]);
    expect(await tableExists(dsn, "a2")).toBe(true);
    const bAfter = await b.status();
    expect(bAfter.current).toBeUndefined();
    expect(bAfter.applied).toEqual([]);
  });
});
