import path from "node:path";
import type { Command } from "commander";
import {
  createMigration,
  type MigrationSet,
  Migrator,
  openMigrationDatabase,
  parseMigrationVersion,
  readMigrationSet,
  reportProblems,
} from "../../migrations/index.js";
import type { CliIO } from "../cli-io.js";
import { ExitCode } from "../exit-codes.js";
import { parseDurationFlag, parsePositiveInt } from "../flag-parsers.js";
import { type GlobalOptions, resolveGlobalOptions } from "../global-options.js";
import {
  renderRepair,
  renderRun,
  renderStatus,
  repairJson,
  runJson,
  statusJson,
  stepLine,
} from "../views/migration-view.js";
import {
  type MigrationTarget,
  requireDsn,
  resolveTarget,
  type TargetFlags,
} from "./migration-target.js";

interface CommonFlags extends TargetFlags {
  readonly lockTimeout?: number;
  readonly dryRun?: boolean;
}

/** `wfctl migrate …`: the migrations runner (src/migrations) on one database. */
export function registerMigrateCommands(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
) {
  const migrate = program
    .command("migrate")
    .description("SQL migrations: up | down | goto | status | validate | create | repair")
    .addHelpText(
      "after",
      `
The database: --database MODULE, --dsn DSN, --dsn-env VAR, else $DATABASE_URL.
Files are <version>_<description>.up.sql / .down.sql; versions are whole numbers.
Each migration runs in a transaction unless its file starts with
"-- wfctl:no-transaction". Exit codes: 0 success, 1 error, 3 another run holds the lock.

Examples:
  $ wfctl migrate up --database app-db
  $ wfctl migrate status --dsn sqlite:app.db --dir migrations --json`,
    );

  const run = async (
    flags: CommonFlags,
    command: Command,
    fn: (m: Migrator, globals: GlobalOptions) => Promise<void>,
  ) => {
    const globals = resolveGlobalOptions(command, io);
    const target = await resolveTarget(flags, globals, io);
    await withMigrator(target, flags, io, globals, (m) => fn(m, globals));
  };

  connection(migrate.command("up [n]"))
    .description("apply pending migrations: all, or the next N")
    .option("--dry-run", "print the SQL that would run; change nothing")
    .addHelpText(
      "after",
      "\nExamples:\n  $ wfctl migrate up --database app-db\n  $ wfctl migrate up 1 --dsn-env DATABASE_URL --dry-run",
    )
    .action(async (n: string | undefined, flags: CommonFlags, command: Command) => {
      const steps = n === undefined ? undefined : parsePositiveInt("N")(n);
      await run(flags, command, async (m, globals) =>
        writeRun(io, globals, await m.up(steps, flags.dryRun)),
      );
    });

  connection(migrate.command("down [n]"))
    .description("roll back the last N applied migrations (default 1) with their down files")
    .option("--dry-run", "print the SQL that would run; change nothing")
    .addHelpText("after", "\nExample:\n  $ wfctl migrate down 2 --database app-db")
    .action(async (n: string | undefined, flags: CommonFlags, command: Command) => {
      const steps = n === undefined ? 1 : parsePositiveInt("N")(n);
      await run(flags, command, async (m, globals) =>
        writeRun(io, globals, await m.down(steps, flags.dryRun)),
      );
    });

  connection(migrate.command("goto <version>"))
    .description("migrate up or down to exactly VERSION (0: roll everything back)")
    .option("--dry-run", "print the SQL that would run; change nothing")
    .addHelpText("after", "\nExample:\n  $ wfctl migrate goto 3 --database app-db")
    .action(async (version: string, flags: CommonFlags, command: Command) => {
      const target = parseMigrationVersion("VERSION", version);
      await run(flags, command, async (m, globals) =>
        writeRun(io, globals, await m.goto(target, flags.dryRun)),
      );
    });

  connection(migrate.command("status"))
    .description("current version, dirty flag, applied and pending migrations, changed files")
    .addHelpText("after", "\nExample:\n  $ wfctl migrate status --database app-db --json")
    .action(async (flags: CommonFlags, command: Command) => {
      await run(flags, command, async (m, globals) => {
        const report = await m.status();
        io.stdout.write(
          globals.json ? `${JSON.stringify(statusJson(report), null, 2)}\n` : renderStatus(report),
        );
      });
    });

  connection(migrate.command("validate"))
    .description(
      "check the files (names, duplicates, down files) and, with a database, changed or skipped ones",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ wfctl migrate validate --dir migrations\n  $ wfctl migrate validate --database app-db",
    )
    .action(async (flags: CommonFlags, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const target = await resolveTarget(flags, globals, io);
      const set = await readMigrationSet({ dir: target.dir });
      let problems: string[] = [];
      let missingDown = set.migrations.filter((m) => m.down === undefined);
      if (target.dsn !== undefined) {
        await withMigrator(target, flags, io, globals, async (m) => {
          const report = await m.status();
          problems = reportProblems(report);
          missingDown = [...report.missingDown];
        });
      }
      const warnings = missingDown.map(
        (m) => `${m.up.display}: no down file, so version ${m.version} cannot be rolled back`,
      );
      if (globals.json) {
        io.stdout.write(
          `${JSON.stringify({ version: 1, valid: problems.length === 0, migrations: set.migrations.length, problems, warnings }, null, 2)}\n`,
        );
      } else {
        for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
        for (const p of problems) io.stderr.write(`error: ${p}\n`);
        if (problems.length === 0) {
          io.stdout.write(`${set.migrations.length} migration(s) in ${set.origin}: valid.\n`);
        }
      }
      if (problems.length > 0) setExit(ExitCode.error);
    });

  migrate
    .command("create <name>")
    .description("write the next version's pair of files: <version>_<name>.up.sql and .down.sql")
    .option("--dir <dir>", "migrations folder (default: migrations)")
    .option("--database <module>", "a database module of the config: its migrations folder")
    .option("--dry-run", "print the names of the files; write nothing")
    .addHelpText("after", "\nExample:\n  $ wfctl migrate create add_users --dir migrations")
    .action(async (name: string, flags: CommonFlags, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const target = await resolveTarget(flags, globals, io);
      const files = await createMigration(target.dir, name, flags.dryRun === true);
      if (globals.json) {
        io.stdout.write(`${JSON.stringify({ version: 1, files }, null, 2)}\n`);
      } else {
        const verb = flags.dryRun ? "would create" : "created";
        for (const file of files) io.stdout.write(`${verb} ${path.relative(io.cwd, file)}\n`);
      }
    });

  connection(migrate.command("repair"))
    .description("clear a dirty version by forcing one, after checking the database by hand")
    .requiredOption("--expected-dirty-version <v>", "the version the database is dirty at")
    .requiredOption(
      "--force-version <v>",
      "the version to record: the dirty one (done), an applied one, or 0",
    )
    .requiredOption("--confirm-force <token>", "must be FORCE_MIGRATION_METADATA")
    .option("--then-up", "migrate up after the repair")
    .option("--up-if-clean", "when the database is not dirty, migrate up instead of refusing")
    .option("--dry-run", "check and report; change nothing")
    .addHelpText(
      "after",
      "\nExample:\n  $ wfctl migrate repair --database app-db --expected-dirty-version 4 \\\n      --force-version 3 --confirm-force FORCE_MIGRATION_METADATA --then-up",
    )
    .action(
      async (
        flags: CommonFlags & {
          expectedDirtyVersion: string;
          forceVersion: string;
          confirmForce: string;
          thenUp?: boolean;
          upIfClean?: boolean;
        },
        command: Command,
      ) => {
        const dryRun = flags.dryRun === true;
        await run(flags, command, async (m, globals) => {
          const outcome = await m.repair({
            expectedDirtyVersion: flags.expectedDirtyVersion,
            forceVersion: flags.forceVersion,
            confirmForce: flags.confirmForce,
            thenUp: flags.thenUp === true,
            upIfClean: flags.upIfClean === true,
            dryRun,
          });
          io.stdout.write(
            globals.json
              ? `${JSON.stringify(repairJson(outcome, dryRun), null, 2)}\n`
              : renderRepair(outcome, dryRun),
          );
        });
      },
    );
}

/** The flags that name the database and the files, on every command that uses them. */
function connection(command: Command): Command {
  return command
    .option("--database <module>", "a database.sqlite / database.postgres module of the config")
    .option(
      "--dsn <dsn>",
      "connection string: postgres://… or sqlite:PATH (password never printed)",
    )
    .option("--dsn-env <var>", "read the connection string from this environment variable")
    .option(
      "--dir <dir>",
      "migrations folder (default: the module's `migrations`, else migrations)",
    )
    .option(
      "--lock-timeout <duration>",
      "wait this long for another run's lock (default 60s)",
      parseDurationFlag("--lock-timeout"),
    );
}

async function withMigrator(
  target: MigrationTarget,
  flags: CommonFlags,
  io: CliIO,
  globals: GlobalOptions,
  fn: (m: Migrator) => Promise<void>,
): Promise<void> {
  const dsn = requireDsn(target);
  const set: MigrationSet = await readMigrationSet({ dir: target.dir });
  const db = await openMigrationDatabase(dsn, target.baseDir);
  try {
    const migrator = new Migrator(db, set, {
      ...(flags.lockTimeout !== undefined ? { lockTimeoutMs: flags.lockTimeout } : {}),
      // Progress as it happens: a long run shows where it is (and where it failed).
      ...(globals.json || globals.quiet ? {} : { onStep: (d) => io.stderr.write(stepLine(d)) }),
    });
    await fn(migrator);
  } finally {
    await db.close();
  }
}

function writeRun(io: CliIO, globals: GlobalOptions, outcome: Parameters<typeof renderRun>[0]) {
  if (globals.json) io.stdout.write(`${JSON.stringify(runJson(outcome), null, 2)}\n`);
  else if (!globals.quiet) io.stdout.write(renderRun(outcome));
}
