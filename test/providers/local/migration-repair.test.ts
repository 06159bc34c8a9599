import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ErrResourceNotFound,
  ErrValidation,
  errorIs,
  type MigrationRepairRequest,
} from "../../../src/contracts/index.js";
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

  it("runs wfctl migrate repair as a job of the app and reports its outcome and log", async () => {
    const result = await h.provider.repairDirtyMigration(request);
    // `wfctl migrate` is the runner's to answer; whatever it says is in the result.
    expect(["succeeded", "failed"]).toContain(result.status);
    expect(result.provider_job_id).toMatch(/^migration-repair-/);
    expect(result.logs).toMatch(/migrate/);
    expect(result.diagnostics?.[0]?.cause).toContain('job_image "ignored" is not used');
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
