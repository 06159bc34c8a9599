import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openMigrationDatabase } from "../../src/migrations/index.js";
import { spawnCli } from "../helpers/run-cli.js";

// `wfctl migrate` end to end through the real executable, on SQLite files.
describe("wfctl migrate", () => {
  let dir: string;
  let migrations: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "wfctl-migrate-cli-"));
    migrations = path.join(dir, "migrations");
    mkdirSync(migrations);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, sql: string) => writeFileSync(path.join(migrations, name), sql);
  const cli = (...args: string[]) => spawnCli(["migrate", ...args], { cwd: dir });
  const rows = (sql: string) => {
    const db = new Database(path.join(dir, "app.db"), { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };

  it("creates numbered files, applies them, reports status as JSON, and rolls back", async () => {
    const dry = await cli("create", "add items", "--dry-run");
    expect(dry.stdout).toBe(
      "would create migrations/000001_add_items.up.sql\nwould create migrations/000001_add_items.down.sql\n",
    );
    expect(readdirSync(migrations)).toEqual([]);
    const created = await cli("create", "add items");
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(
      "created migrations/000001_add_items.up.sql\ncreated migrations/000001_add_items.down.sql\n",
    );
    write("000001_add_items.up.sql", "CREATE TABLE items (name TEXT);");
    write("000001_add_items.down.sql", "DROP TABLE items;");
    write("000002_seed.up.sql", "INSERT INTO items VALUES ('tea');");

    const up = await cli("up", "--dsn", "sqlite:app.db");
    expect(up.code).toBe(0);
    expect(up.stdout).toBe("Applied 2 migration(s); at version 2.\n");
    expect(up.stderr).toMatch(/^applied 000001_add_items\.up\.sql \(\d+ ms\)\napplied 000002_seed/);
    expect(rows("SELECT name FROM items")).toEqual([{ name: "tea" }]);

    const status = await cli("status", "--dsn", "sqlite:app.db", "--json");
    expect(status.code).toBe(0);
    const doc = JSON.parse(status.stdout);
    expect(doc).toMatchObject({
      version: 1,
      current: 2,
      dirty: false,
      pending: [],
      missing_down: [2],
    });
    expect(doc.applied.map((a: { version: number }) => a.version)).toEqual([1, 2]);

    const down = await cli("down", "--dsn", "sqlite:app.db");
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("000002_seed.up.sql: version 2 has no down file");
    expect(down.stderr).not.toMatch(/\n\s+at /);
  });

  it("takes the database and its migrations folder from a config module", async () => {
    mkdirSync(path.join(dir, "db"));
    writeFileSync(path.join(dir, "db", "1_init.up.sql"), "CREATE TABLE t (x int);");
    writeFileSync(
      path.join(dir, "wfctl.yaml"),
      "modules:\n  - name: app-db\n    type: database.sqlite\n    config: { path: data/app.db, migrations: db }\n",
    );
    mkdirSync(path.join(dir, "data"));
    const up = await cli("up", "--database", "app-db");
    expect(up.code).toBe(0);
    expect(readdirSync(path.join(dir, "data"))).toContain("app.db");
    const wrong = await cli("up", "--database", "nope");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("--database nope: no such module");
    expect(wrong.stderr).toContain("database modules: app-db");
  });

  it("fails a broken migration with exit 1, naming FILE:LINE:COL and the statement", async () => {
    write("1_ok.up.sql", "CREATE TABLE ok (x int);");
    write("2_bad.up.sql", "CREATE TABLE half (x int);\nINSERT INTO nowhere VALUES (1);\n");
    const up = await cli("up", "--dsn-env", "APP_DB");
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("--dsn-env APP_DB: the variable is not set");
    const run = await spawnCli(["migrate", "up", "--dsn-env", "APP_DB"], {
      cwd: dir,
      env: { APP_DB: "sqlite:app.db" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "migrations/2_bad.up.sql:2:1: up 2 failed: no such table: nowhere",
    );
    expect(run.stderr).toContain("rolled back: the database stays at version 1");
    expect(rows("SELECT name FROM sqlite_master WHERE name = 'half'")).toEqual([]);
  });

  it("validate fails on a file changed after it was applied and warns about missing down files", async () => {
    write("1_a.up.sql", "CREATE TABLE a (x int);");
    expect((await cli("up", "--dsn", "sqlite:app.db")).code).toBe(0);
    const clean = await cli("validate", "--dsn", "sqlite:app.db");
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("1 migration(s) in");
    expect(clean.stderr).toContain("warning: migrations/1_a.up.sql: no down file");
    write("1_a.up.sql", "CREATE TABLE a (x int, y int);");
    const changed = await cli("validate", "--dsn", "sqlite:app.db", "--json");
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout)).toMatchObject({
      valid: false,
      problems: [expect.stringContaining("1_a.up.sql: changed after it was applied")],
    });
  });

  it("--dry-run prints the SQL and changes nothing", async () => {
    write("1_a.up.sql", "CREATE TABLE a (x int);\n");
    const dry = await cli("up", "--dsn", "sqlite:app.db", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("-- up 1: migrations/1_a.up.sql\nCREATE TABLE a (x int);\n");
    expect(dry.stdout).toContain("nothing changed");
    expect(rows("SELECT count(*) AS n FROM sqlite_master")).toEqual([{ n: 0 }]);
  });

  it("two runs at once apply each migration once; the second waits and finds nothing to do", async () => {
    write("1_log.up.sql", "CREATE TABLE log (version INTEGER);");
    for (let v = 2; v <= 6; v++) write(`${v}_step.up.sql`, `INSERT INTO log VALUES (${v});`);
    const [a, b] = await Promise.all([
      cli("up", "--dsn", "sqlite:app.db", "--json"),
      cli("up", "--dsn", "sqlite:app.db", "--json"),
    ]);
    expect([a, b].map((r) => [r?.code, r?.stderr.includes("Error") ? r.stderr : ""])).toEqual([
      [0, ""],
      [0, ""],
    ]);
    const applied = [a, b].map((r) => JSON.parse(r?.stdout ?? "{}").steps.length).sort();
    expect(applied).toEqual([0, 6]);
    expect(rows("SELECT version FROM log ORDER BY version")).toEqual(
      [2, 3, 4, 5, 6].map((version) => ({ version })),
    );
  });

  it("exits 3 when another run holds the lock past --lock-timeout", async () => {
    write("1_a.up.sql", "CREATE TABLE a (x int);");
    const holder = await openMigrationDatabase(`sqlite:${path.join(dir, "app.db")}`);
    try {
      expect(await holder.tryLock()).toBe(true);
      const blocked = await cli("up", "--dsn", "sqlite:app.db", "--lock-timeout", "300ms");
      expect(blocked.code).toBe(3);
      expect(blocked.stderr).toContain("another migration run still holds the lock");
    } finally {
      await holder.unlock();
      await holder.close();
    }
  });

  it("repair refuses without the confirmation token and when the database is clean", async () => {
    write("1_a.up.sql", "CREATE TABLE a (x int);");
    await cli("up", "--dsn", "sqlite:app.db");
    const flags = [
      "--dsn",
      "sqlite:app.db",
      "--expected-dirty-version",
      "1",
      "--force-version",
      "0",
    ];
    const token = await cli("repair", ...flags, "--confirm-force", "yes");
    expect(token.code).toBe(1);
    expect(token.stderr).toContain('confirm_force must equal "FORCE_MIGRATION_METADATA"');
    const clean = await cli("repair", ...flags, "--confirm-force", "FORCE_MIGRATION_METADATA");
    expect(clean.code).toBe(1);
    expect(clean.stderr).toContain("not dirty (at version 1); nothing to repair");
  });
});
