import { describe, expect, it } from "vitest";
import {
  ErrValidation,
  errorIs,
  isMigrationRepairStatus,
  MigrationRepairConfirmation,
  type MigrationRepairRequest,
  MigrationRepairStatusApprovalRequired,
  MigrationRepairStatusFailed,
  MigrationRepairStatusSucceeded,
  MigrationRepairStatusUnsupported,
  migrationRepairStatuses,
  validateMigrationRepairRequest,
  validateMigrationRequest,
} from "../../src/contracts/index.js";

function thrown(fn: () => void): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a throw");
}

describe("validateMigrationRequest", () => {
  it("accepts a DSN with a dir or with files", () => {
    expect(() =>
      validateMigrationRequest({ dsn: "sqlite://x.db", source: { dir: "./m" } }),
    ).not.toThrow();
    expect(() =>
      validateMigrationRequest({
        dsn: "postgres://h/db",
        source: { files: { "1_init.up.sql": "select 1" } },
      }),
    ).not.toThrow();
  });

  it("requires a DSN first", () => {
    const err = thrown(() => validateMigrationRequest({ dsn: " ", source: {} }));
    expect(err.message).toBe("migration request: dsn is required: iac: validation error");
    expect(errorIs(err, ErrValidation)).toBe(true);
  });

  it("requires a dir or at least one file", () => {
    for (const source of [{}, { dir: "" }, { files: {} }, { dir: "  ", files: {} }]) {
      const err = thrown(() => validateMigrationRequest({ dsn: "sqlite://x.db", source }));
      expect(err.message).toBe(
        "migration request: source dir or files is required: iac: validation error",
      );
      expect(errorIs(err, ErrValidation)).toBe(true);
    }
  });
});

const validRepair: MigrationRepairRequest = {
  app_resource_name: "api",
  database_resource_name: "app-db",
  job_image: "registry/app:1",
  source_dir: "/migrations",
  expected_dirty_version: "20240101",
  force_version: "20231231",
  then_up: false,
  up_if_clean: false,
  confirm_force: MigrationRepairConfirmation,
};

describe("validateMigrationRepairRequest", () => {
  it("accepts a complete request", () => {
    expect(() => validateMigrationRepairRequest(validRepair)).not.toThrow();
    expect(() => validateMigrationRepairRequest({ ...validRepair, then_up: true })).not.toThrow();
    expect(() =>
      validateMigrationRepairRequest({ ...validRepair, up_if_clean: true }),
    ).not.toThrow();
  });

  it("lists every missing (trimmed) field in the fixed order", () => {
    const empty: MigrationRepairRequest = {
      app_resource_name: "",
      database_resource_name: " ",
      job_image: "",
      source_dir: "\t",
      expected_dirty_version: "",
      force_version: "",
      then_up: true,
      up_if_clean: true,
      confirm_force: "",
    };
    const err = thrown(() => validateMigrationRepairRequest(empty));
    expect(err.message).toBe(
      "migration repair request missing required fields: app_resource_name, database_resource_name, job_image, source_dir, expected_dirty_version, force_version, confirm_force",
    );
    expect(errorIs(err, ErrValidation)).toBe(true);
    expect(
      thrown(() =>
        validateMigrationRepairRequest({ ...validRepair, job_image: "", force_version: " " }),
      ).message,
    ).toBe("migration repair request missing required fields: job_image, force_version");
  });

  it("treats fields absent from decoded JSON as missing", () => {
    const partial = { ...validRepair } as Partial<MigrationRepairRequest>;
    delete partial.source_dir;
    expect(
      thrown(() => validateMigrationRepairRequest(partial as MigrationRepairRequest)).message,
    ).toBe("migration repair request missing required fields: source_dir");
  });

  it("then checks the confirmation token exactly", () => {
    for (const confirm_force of [
      "yes",
      "force_migration_metadata",
      ` ${MigrationRepairConfirmation}`,
    ]) {
      const err = thrown(() =>
        validateMigrationRepairRequest({
          ...validRepair,
          confirm_force,
          then_up: true,
          up_if_clean: true,
        }),
      );
      expect(err.message).toBe('confirm_force must equal "FORCE_MIGRATION_METADATA"');
    }
  });

  it("then rejects then_up together with up_if_clean", () => {
    const err = thrown(() =>
      validateMigrationRepairRequest({ ...validRepair, then_up: true, up_if_clean: true }),
    );
    expect(err.message).toBe("then_up and up_if_clean are mutually exclusive");
  });
});

describe("migration repair statuses", () => {
  it("are the seed's four", () => {
    expect([
      MigrationRepairStatusSucceeded,
      MigrationRepairStatusFailed,
      MigrationRepairStatusApprovalRequired,
      MigrationRepairStatusUnsupported,
    ]).toEqual(["succeeded", "failed", "approval_required", "unsupported"]);
    expect([...migrationRepairStatuses]).toHaveLength(4);
    expect(isMigrationRepairStatus("approval_required")).toBe(true);
    expect(isMigrationRepairStatus("ok")).toBe(false);
    expect(MigrationRepairConfirmation).toBe("FORCE_MIGRATION_METADATA");
  });
});
