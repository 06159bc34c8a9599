import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WfError } from "../../src/diagnostics/index.js";
import { readMigrationSet } from "../../src/migrations/index.js";

const failure = async (files: Record<string, string>): Promise<WfError> => {
  const err = await readMigrationSet({ files }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!WfError.is(err)) throw new Error(`expected a WfError, got ${String(err)}`);
  return err;
};

describe("migration files", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("orders versions numerically and pairs up and down files", async () => {
    const set = await readMigrationSet({
      files: {
        "10_ten.up.sql": "SELECT 10;",
        "9_nine.up.sql": "SELECT 9;",
        "9_nine.down.sql": "SELECT -9;",
        "0002_two.up.sql": "SELECT 2;",
        "README.md": "not a migration",
      },
    });
    expect(set.migrations.map((m) => [m.version, m.description, m.down !== undefined])).toEqual([
      [2, "two", false],
      [9, "nine", true],
      [10, "ten", false],
    ]);
  });

  it("computes the sha256 of each file and reads the no-transaction header", async () => {
    const set = await readMigrationSet({
      files: {
        "1_a.up.sql": "SELECT 1;\n",
        "2_b.up.sql":
          "-- concurrent index\n-- wfctl:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n",
        "3_c.up.sql": "SELECT 1;\n-- wfctl:no-transaction\n",
      },
    });
    // What `sha256sum 1_a.up.sql` prints.
    expect(set.migrations[0]?.up.checksum).toBe(
      "b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd",
    );
    expect(set.migrations.map((m) => m.up.noTransaction)).toEqual([false, true, false]);
  });

  it("names both files of a duplicated version, a bad name, and a down without an up", async () => {
    const duplicate = await failure({ "1_a.up.sql": "", "01_b.up.sql": "" });
    expect(duplicate.code).toBe("WF_ERR_MIGRATION_FILES");
    expect(duplicate.message).toContain("01_b.up.sql and 1_a.up.sql: both are version 1 (up)");
    const badName = await failure({ "create_users.sql": "" });
    expect(badName.message).toContain(
      "create_users.sql: not a migration file name; use <version>_<description>.up.sql",
    );
    const orphan = await failure({ "3_x.down.sql": "" });
    expect(orphan.message).toContain("3_x.down.sql: version 3 has a down file but no up file");
  });

  it("reads a folder, naming it when it is missing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wfctl-mig-"));
    dirs.push(dir);
    writeFileSync(path.join(dir, "1_init.up.sql"), "CREATE TABLE t (x int);");
    const set = await readMigrationSet({ dir });
    expect(set.migrations[0]?.up.display).toMatch(/1_init\.up\.sql$/);
    const err = await readMigrationSet({ dir: path.join(dir, "nope") }).catch((e: unknown) => e);
    expect((err as WfError).code).toBe("WF_ERR_MIGRATION_FILES");
    expect((err as Error).message).toContain("nope does not exist");
  });
});
