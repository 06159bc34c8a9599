import path from "node:path";
import type {
  MigrationReport,
  MigrationStep,
  RepairOutcome,
  RunOutcome,
  StepDone,
} from "../../migrations/index.js";

const versionOf = (v: number | undefined): string => (v === undefined ? "none" : String(v));

/** `wfctl migrate status --json`. */
export function statusJson(report: MigrationReport) {
  return {
    version: 1,
    database: report.database,
    scope: report.scope,
    current: report.current ?? null,
    dirty: report.dirty,
    applied: report.applied.map((a) => ({
      version: a.version,
      description: a.description,
      checksum: a.checksum,
      applied_at: a.appliedAt,
      duration_ms: a.durationMs ?? null,
    })),
    pending: report.pending.map((m) => ({
      version: m.version,
      description: m.description,
      file: m.up.display,
    })),
    changed: report.changed.map((c) => ({
      version: c.version,
      file: c.file,
      applied_checksum: c.appliedChecksum,
      checksum: c.checksum,
    })),
    out_of_order: report.outOfOrder.map((m) => m.version),
    missing_files: report.missingFiles.map((a) => a.version),
    missing_down: report.missingDown.map((m) => m.version),
  };
}

/** `wfctl migrate status` for a person. */
export function renderStatus(report: MigrationReport): string {
  const lines = [
    `Database:   ${report.database}`,
    `Migrations: ${report.origin}`,
    `Version:    ${versionOf(report.current)}${report.dirty ? " (dirty: run `wfctl migrate repair`)" : ""}`,
    `Applied:    ${report.applied.length}`,
    `Pending:    ${report.pending.length}`,
  ];
  for (const m of report.pending) lines.push(`  ${m.version}  ${m.description}`);
  if (report.changed.length > 0) {
    lines.push("Changed after they were applied:");
    for (const c of report.changed) lines.push(`  ${c.version}  ${c.file}`);
  }
  if (report.outOfOrder.length > 0) {
    lines.push("Never applied, older than the current version (up will not run them):");
    for (const m of report.outOfOrder) lines.push(`  ${m.version}  ${m.up.display}`);
  }
  if (report.missingFiles.length > 0) {
    lines.push(`Applied, files gone: ${report.missingFiles.map((a) => a.version).join(", ")}`);
  }
  if (report.missingDown.length > 0) {
    lines.push(`No down file: ${report.missingDown.map((m) => m.version).join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** up / down / goto: what ran, or with --dry-run the SQL that would. */
export function renderRun(outcome: RunOutcome): string {
  if (outcome.dryRun) {
    if (outcome.steps.length === 0) return "Dry run: nothing to do.\n";
    const blocks = outcome.steps.map(
      (s) =>
        `-- ${s.direction} ${s.migration.version}: ${s.file.display}\n${s.file.sql.trimEnd()}\n`,
    );
    return `${blocks.join("\n")}\nDry run: ${outcome.steps.length} migration(s) shown, nothing changed.\n`;
  }
  // Each step was reported on stderr as it finished (stepLine); this is the summary.
  if (outcome.done.length === 0) {
    return `No migrations to run; at version ${versionOf(outcome.current)}.\n`;
  }
  const verb = outcome.done[0]?.direction === "down" ? "Rolled back" : "Applied";
  return `${verb} ${outcome.done.length} migration(s); at version ${versionOf(outcome.current)}.\n`;
}

export function stepLine(done: StepDone): string {
  const verb = done.direction === "up" ? "applied" : "rolled back";
  return `${verb} ${path.basename(done.file)} (${done.durationMs} ms)\n`;
}

export function runJson(outcome: RunOutcome) {
  return {
    version: 1,
    dry_run: outcome.dryRun,
    current: outcome.current ?? null,
    steps: outcome.steps.map((s: MigrationStep) => {
      const done = outcome.done.find((d) => d.version === s.migration.version);
      return {
        direction: s.direction,
        version: s.migration.version,
        description: s.migration.description,
        file: s.file.display,
        ...(outcome.dryRun ? { sql: s.file.sql } : { duration_ms: done?.durationMs ?? null }),
      };
    }),
  };
}

export function renderRepair(outcome: RepairOutcome, dryRun: boolean): string {
  const head =
    outcome.forced === undefined
      ? `Not dirty (at version ${versionOf(outcome.found.version)}).\n`
      : `${dryRun ? "Would force" : "Forced"} version ${outcome.forced} (was dirty at ${outcome.found.version}).\n`;
  return head + (outcome.up ? renderRun(outcome.up) : "");
}

export function repairJson(outcome: RepairOutcome, dryRun: boolean) {
  return {
    version: 1,
    dry_run: dryRun,
    found: { version: outcome.found.version ?? null, dirty: outcome.found.dirty },
    forced: outcome.forced ?? null,
    up: outcome.up ? runJson(outcome.up) : null,
  };
}
