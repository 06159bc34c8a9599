import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ErrResourceNotFound,
  ErrValidation,
  errorIs,
  type MigrationRepairRequest,
} from "../../../src/contracts/index.js";
import {
  Migrator,
  openMigrationDatabase,
  readMigrationSet,
} from "../../../src/migrations/index.js";
import { serviceConfig } from "./local-fixtures.js";
import { localHarness } from "./local-harness.js";

type Harness = Awaited<ReturnType<typeof localHarness>>;

describe("local provider: repairDirtyMigration", () => {
  let h: Harness;
  let request: MigrationRepairRequest;
  beforeEach(async () => {
    h = await localHarness({ ready_timeout_seconds: 15 });
    mkdirSync(path.join(h.project.appDir, "migrations"));
    await h.provider
      .resourceDriver("infra.database")
      .create(h.spec("infra.database", "db", { engine: "sqlite" }));
    await h.provider
      .resourceDriver("infra.container_service")
      .create(h.spec("infra.container_service", "api", serviceConfig(h.project.appDir)));
    h.track("infra.container_service", "api");
    request = {
      app_resource_name: "api",
      database_resource_name: "db",
      job_image: "ignored",
      source_dir: "migrations",
      expected_dirty_version: "3",
      force_version: "2",
      then_up: false,
      up_if_clean: false,
      confirm_force: "FORCE_MIGRATION_METADATA",
      timeout_seconds: 30,
    };
  });
  afterEach(async () => {
    expect(await h.cleanup()).toEqual([]);
  });

  it("repairs a dirty database with wfctl migrate repair run as a job of the app", async () => {
    // A no-transaction migration that failed half-way leaves the database dirty at 2.
    const migrations = path.join(h.project.appDir, "migrations");
    writeFileSync(path.join(migrations, "1_items.up.sql"), "CREATE TABLE items (x int);");
    writeFileSync(
      path.join(migrations, "2_more.up.sql"),
      "-- wfctl:no-transaction\nCREATE TABLE more (x int);\nINSERT INTO nowhere VALUES (1);\n",
    );
    const uri = String(
      (
        await h.provider
          .resourceDriver("infra.database")
          .read({ name: "db", type: "infra.database" })
      ).outputs.uri,
    );
    const db = await openMigrationDatabase(uri);
    const migrator = new Migrator(db, await readMigrationSet({ dir: migrations }));
    try {
      await expect(migrator.up()).rejects.toThrow("dirty at version 2");
      // The operator fixed the file; the repair forces 1 and migrates up again.
      writeFileSync(
        path.join(migrations, "2_more.up.sql"),
        "CREATE TABLE IF NOT EXISTS more (x int);",
      );
      const result = await h.provider.repairDirtyMigration({
        ...request,
        expected_dirty_version: "2",
        force_version: "1",
        then_up: true,
      });
      expect(result.logs).toContain("Forced version 1 (was dirty at 2).");
      expect(result.logs).not.toContain(uri);
      expect(result.status).toBe("succeeded");
      expect(result.provider_job_id).toMatch(/^migration-repair-/);
      expect(result.diagnostics?.[0]?.cause).toContain('job_image "ignored" is not used');
      const after = await new Migrator(db, await readMigrationSet({ dir: migrations })).status();
      expect(after).toMatchObject({ current: 2, dirty: false });
    } finally {
      await db.close();
    }
  });

  it("reports a repair the runner refuses as failed, with its log", async () => {
    const result = await h.provider.repairDirtyMigration(request);
    expect(result.status).toBe("failed");
    expect(result.logs).toContain("not dirty (at version 0); nothing to repair");
    const log = path.join(
      h.provider.workdir().dir("infra.container_service", "api"),
      "logs",
      `${result.provider_job_id}.log`,
    );
    expect(existsSync(log)).toBe(true);
  });

  it("refuses an invalid request, an unknown app or database, and a missing source_dir", async () => {
    const rejects = async (req: MigrationRepairRequest, sentinel: Error, message: string) => {
      const err = await h.provider.repairDirtyMigration(req).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(errorIs(err, sentinel)).toBe(true);
      expect((err as Error).message).toContain(message);
    };
    await rejects(
      { ...request, confirm_force: "yes" },
      ErrValidation,
      'confirm_force must equal "FORCE_MIGRATION_METADATA"',
    );
    await rejects(
      { ...request, app_resource_name: "nope" },
      ErrResourceNotFound,
      'no infra.container_service "nope"',
    );
    await rejects({ ...request, database_resource_name: "nope" }, ErrResourceNotFound, "nope");
    await rejects({ ...request, source_dir: "missing" }, ErrValidation, "missing does not exist");
  });
});
