import { WfError } from "../diagnostics/index.js";
import type { AppliedMigration, MigrationState } from "./migration-database.js";
import type { Migration, MigrationFile, MigrationSet } from "./migration-files.js";

/** An applied migration whose file is no longer what was applied. */
export interface ChangedMigration {
  readonly version: number;
  readonly file: string;
  readonly appliedChecksum: string;
  readonly checksum: string;
}

/** Where one scope of a database stands against its migration files. */
export interface MigrationReport {
  readonly scope: string;
  readonly database: string;
  readonly origin: string;
  /** Every migration of the files, ascending. */
  readonly migrations: readonly Migration[];
  readonly current: number | undefined;
  readonly dirty: boolean;
  /** Ascending. */
  readonly applied: readonly AppliedMigration[];
  /** Never applied, ascending (including out-of-order ones). */
  readonly pending: readonly Migration[];
  /** Pending ones older than the current version: `up` would never reach them. */
  readonly outOfOrder: readonly Migration[];
  readonly changed: readonly ChangedMigration[];
  /** Applied versions whose files are gone. */
  readonly missingFiles: readonly AppliedMigration[];
  readonly missingDown: readonly Migration[];
}

export function buildReport(
  scope: string,
  database: string,
  set: MigrationSet,
  state: MigrationState,
  applied: readonly AppliedMigration[],
): MigrationReport {
  const byVersion = new Map(set.migrations.map((m) => [m.version, m]));
  const appliedVersions = new Set(applied.map((a) => a.version));
  const pending = set.migrations.filter((m) => !appliedVersions.has(m.version));
  const current = state.version;
  return {
    scope,
    database,
    origin: set.origin,
    migrations: set.migrations,
    current,
    dirty: state.dirty,
    applied,
    pending,
    outOfOrder: current === undefined ? [] : pending.filter((m) => m.version < current),
    changed: applied.flatMap((a) => {
      const file = byVersion.get(a.version)?.up;
      return file && file.checksum !== a.checksum
        ? [
            {
              version: a.version,
              file: file.display,
              appliedChecksum: a.checksum,
              checksum: file.checksum,
            },
          ]
        : [];
    }),
    missingFiles: applied.filter((a) => !byVersion.has(a.version)),
    missingDown: set.migrations.filter((m) => m.down === undefined),
  };
}

/** What `validate` fails on: everything that makes a run unsafe or silently incomplete. */
export function reportProblems(report: MigrationReport): string[] {
  return [
    ...(report.dirty
      ? [
          `the database is dirty at version ${report.current}: a no-transaction migration failed half-way`,
        ]
      : []),
    ...report.changed.map(
      (c) =>
        `${c.file}: changed after it was applied (sha256 ${short(c.appliedChecksum)} then, ${short(c.checksum)} now)`,
    ),
    ...report.outOfOrder.map(
      (m) =>
        `${m.up.display}: version ${m.version} is older than the current version ${report.current} and was never applied; renumber it above ${report.current}`,
    ),
  ];
}

const short = (checksum: string): string => checksum.slice(0, 12);

/** One migration to run in one direction. */
export interface MigrationStep {
  readonly direction: "up" | "down";
  readonly migration: Migration;
  readonly file: MigrationFile;
  /** The scope's version once this step is done (undefined: nothing applied). */
  readonly versionAfter: number | undefined;
}

/** Refuses to move a database that is dirty or whose applied files changed. */
function assertMovable(report: MigrationReport): void {
  if (report.dirty) {
    throw new WfError(
      "WF_ERR_MIGRATION_DIRTY",
      `${report.database}: dirty at version ${report.current} (${report.scope}); repair it before migrating`,
    );
  }
  if (report.changed.length > 0) {
    throw new WfError(
      "WF_ERR_MIGRATION_INVALID",
      `${report.database}: ${reportProblems({ ...report, dirty: false, outOfOrder: [] }).join("; ")}`,
    );
  }
}

/** The next `steps` pending migrations (all without `steps`); out-of-order ones refuse. */
export function planUp(report: MigrationReport, steps?: number): MigrationStep[] {
  assertMovable(report);
  if (report.outOfOrder.length > 0) {
    throw new WfError(
      "WF_ERR_MIGRATION_INVALID",
      reportProblems({ ...report, changed: [], dirty: false }).join("; "),
    );
  }
  return report.pending
    .slice(0, steps ?? report.pending.length)
    .map((m) => ({ direction: "up", migration: m, file: m.up, versionAfter: m.version }));
}

/** The last `steps` applied migrations, newest first. */
export function planDown(report: MigrationReport, steps: number): MigrationStep[] {
  assertMovable(report);
  const applied = [...report.applied].reverse();
  return applied.slice(0, steps).map((a, i) => downStep(report, a, applied[i + 1]?.version));
}

/** Up or down to exactly `target` (0: nothing applied). */
export function planGoto(report: MigrationReport, target: number): MigrationStep[] {
  const known =
    target === 0 ||
    report.applied.some((a) => a.version === target) ||
    report.migrations.some((m) => m.version === target);
  if (!known) {
    throw new WfError(
      "WF_ERR_MIGRATION_INVALID",
      `${report.origin}: there is no migration version ${target}; goto takes 0 or a version of a file`,
    );
  }
  if (target >= (report.current ?? 0)) {
    return planUp(report).filter((s) => s.migration.version <= target);
  }
  const above = report.applied.filter((a) => a.version > target).length;
  return planDown(report, above);
}

function downStep(
  report: MigrationReport,
  applied: AppliedMigration,
  versionAfter: number | undefined,
): MigrationStep {
  const migration = report.migrations.find((m) => m.version === applied.version);
  if (!migration?.down) {
    throw new WfError(
      "WF_ERR_MIGRATION_FILES",
      migration
        ? `${migration.up.display}: version ${applied.version} has no down file, so it cannot be rolled back; write ${migration.up.display.replace(/\.up\.sql$/, ".down.sql")}`
        : `${report.origin}: version ${applied.version} is applied but its files are gone, so it cannot be rolled back`,
    );
  }
  return { direction: "down", migration, file: migration.down, versionAfter };
}
