import path from "node:path";
import { describe, expect, it } from "vitest";
import { type MigrationRequest, validateMigrationRequest } from "../../src/contracts/index.js";
import { SqlMigrationDriver } from "../../src/migrations/index.js";
import { tempDir } from "../helpers/temp-dir.js";

const files = {
  "1_a.up.sql": "CREATE TABLE a (x int);",
  "1_a.down.sql": "DROP TABLE a;",
  "2_b.up.sql": "CREATE TABLE b (x int);",
  "2_b.down.sql": "DROP TABLE b;",
};

describe("SqlMigrationDriver (the seed's MigrationDriver)", () => {
  it("runs up, status, goto and down from a MigrationRequest, with versions as strings", async () => {
    const driver = new SqlMigrationDriver("sqlite");
    const req: MigrationRequest = {
      dsn: `sqlite:${path.join(tempDir("wfctl-driver"), "app.db")}`,
      source: { files },
    };
    expect(driver.name()).toBe("sqlite");
    expect(await driver.status(req)).toEqual({ current: "", pending: ["1", "2"], dirty: false });
    expect(await driver.up({ ...req, options: { steps: 1 } })).toMatchObject({
      applied: ["1"],
      current: "1",
    });
    expect(await driver.goto(req, "2")).toMatchObject({ applied: ["2"], current: "2" });
    const down = await driver.down(req);
    expect(down).toMatchObject({ applied: ["2"], current: "1", dirty: false });
    expect(down.durationMs).toBeGreaterThanOrEqual(0);
    expect(await driver.up({ ...req, options: { dryRun: true } })).toMatchObject({
      applied: ["2"],
      current: "1",
    });
    expect((await driver.status(req)).current).toBe("1");
  });

  it("refuses a request without a DSN or source, and a DSN of another engine", async () => {
    expect(() => validateMigrationRequest({ dsn: "", source: { files } })).toThrow(
      "migration request: dsn is required",
    );
    await expect(
      new SqlMigrationDriver("sqlite").status({ dsn: "x.db", source: {} }),
    ).rejects.toThrow("migration request: source dir or files is required");
    const postgres = new SqlMigrationDriver("postgres");
    await expect(
      postgres.status({
        dsn: `sqlite:${path.join(tempDir("wfctl-driver"), "a.db")}`,
        source: { files },
      }),
    ).rejects.toThrow("the postgres migration driver was given a sqlite database");
  });
});
