import { validateRepairConfirmation } from "../contracts/index.js";
import { toError, WfError } from "../diagnostics/index.js";
import {
  type AppliedMigration,
  HISTORY_TABLE,
  type MigrationDatabase,
  type MigrationState,
  STATE_TABLE,
} from "./migration-database.js";
import type { MigrationSet } from "./migration-files.js";
import {
  buildReport,
  type MigrationReport,
  type MigrationStep,
  planDown,
  planGoto,
  planUp,
} from "./migration-plan.js";
import { type SqlStatement, splitStatements } from "./sql-statements.js";

/** The app's own migrations; modules' migrations use the module's name. */
export const APP_SCOPE = "app";

const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
const LOCK_POLL_MS = 50;

export interface MigratorOptions {
  /** Whose history this is: each scope has its own version and history. */
  readonly scope?: string;
  /** How long to wait for another run's lock (default 60 s). */
  readonly lockTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called after each migration is applied or rolled back. */
  readonly onStep?: (done: StepDone) => void;
}

export interface StepDone {
  readonly direction: "up" | "down";
  readonly version: number;
  readonly description: string;
  readonly file: string;
  readonly durationMs: number;
}

export interface RunOutcome {
  /** What ran (or, in a dry run, would run), in order. */
  readonly steps: readonly MigrationStep[];
  readonly done: readonly StepDone[];
  readonly current: number | undefined;
  readonly dryRun: boolean;
}

export interface RepairOptions {
  readonly expectedDirtyVersion: string;
  readonly forceVersion: string;
  readonly confirmForce: string;
  readonly thenUp?: boolean;
  readonly upIfClean?: boolean;
  readonly dryRun?: boolean;
}

export interface RepairOutcome {
  /** The state found: dirty at `version`, or clean. */
  readonly found: MigrationState;
  /** The version forced (undefined when the database was clean). */
  readonly forced: number | undefined;
  /** The `up` that followed (then_up / up_if_clean). */
  readonly up: RunOutcome | undefined;
}

/**
 * Applies one scope's migrations to one database: status, up, down, goto and repair,
 * each mutating run under the database's migration lock (a second run waits, then
 * finds what the first did). Each migration runs in a transaction unless its file
 * says `-- wfctl:no-transaction`, in which case the scope is marked dirty while it
 * runs, so a failure half-way is visible and needs `repair`.
 */
export class Migrator {
  readonly scope: string;

  constructor(
    private readonly db: MigrationDatabase,
    private readonly set: MigrationSet,
    private readonly options: MigratorOptions = {},
  ) {
    this.scope = options.scope ?? APP_SCOPE;
  }

  status(): Promise<MigrationReport> {
    return this.#report();
  }

  up(steps?: number, dryRun = false): Promise<RunOutcome> {
    return this.#run((report) => planUp(report, steps), dryRun);
  }

  down(steps = 1, dryRun = false): Promise<RunOutcome> {
    return this.#run((report) => planDown(report, steps), dryRun);
  }

  goto(version: number, dryRun = false): Promise<RunOutcome> {
    return this.#run((report) => planGoto(report, version), dryRun);
  }

  /**
   * Clears a dirty state by forcing a version: only when the scope is dirty at
   * exactly `expectedDirtyVersion`, and the forced version is 0, the dirty one
   * (it is recorded as applied) or an applied one (later ones are forgotten).
   * Anything else refuses and changes nothing.
   */
  async repair(options: RepairOptions): Promise<RepairOutcome> {
    try {
      validateRepairConfirmation({
        confirm_force: options.confirmForce,
        then_up: options.thenUp === true,
        up_if_clean: options.upIfClean === true,
      });
    } catch (err) {
      throw new WfError("WF_ERR_USAGE", toError(err).message, { cause: err });
    }
    const expected = parseMigrationVersion(
      "--expected-dirty-version",
      options.expectedDirtyVersion,
    );
    const forced = parseMigrationVersion("--force-version", options.forceVersion);
    const dryRun = options.dryRun === true;
    return this.#locked(dryRun, async () => {
      const report = await this.#report();
      const found = { version: report.current, dirty: report.dirty };
      if (!report.dirty) {
        if (options.upIfClean) {
          return { found, forced: undefined, up: await this.#apply(planUp(report), dryRun) };
        }
        throw new WfError(
          "WF_ERR_MIGRATION_INVALID",
          `${this.db.display}: not dirty (at version ${report.current ?? 0}); nothing to repair (--up-if-clean migrates up instead)`,
        );
      }
      if (report.current !== expected) {
        throw new WfError(
          "WF_ERR_MIGRATION_INVALID",
          `${this.db.display}: dirty at version ${report.current}, not at the expected ${expected}; nothing changed`,
        );
      }
      const dirtyMigration = report.migrations.find((m) => m.version === expected);
      const allowed =
        forced === 0 || forced === expected || report.applied.some((a) => a.version === forced);
      if (!allowed || (forced === expected && !dirtyMigration)) {
        throw new WfError(
          "WF_ERR_MIGRATION_INVALID",
          `--force-version ${forced}: force 0, the dirty version ${expected} (its file must exist) or an applied version; nothing changed`,
        );
      }
      if (!dryRun) {
        await this.#transaction(async () => {
          await this.db.query(`DELETE FROM ${HISTORY_TABLE} WHERE scope = $1 AND version > $2`, [
            this.scope,
            forced,
          ]);
          if (forced === expected && dirtyMigration) {
            await this.db.query(
              `INSERT INTO ${HISTORY_TABLE} (scope, version, description, checksum, applied_at, duration_ms)
               VALUES ($1, $2, $3, $4, $5, NULL)
               ON CONFLICT (scope, version) DO NOTHING`,
              [this.scope, forced, dirtyMigration.description, dirtyMigration.up.checksum, now()],
            );
          }
          await this.#setState(forced === 0 ? undefined : forced, false);
        });
      }
      const after = dryRun
        ? undefined
        : options.thenUp
          ? await this.#apply(planUp(await this.#report()), false)
          : undefined;
      return { found, forced, up: after };
    });
  }

  async #run(plan: (report: MigrationReport) => MigrationStep[], dryRun: boolean) {
    return this.#locked(dryRun, async () => this.#apply(plan(await this.#report()), dryRun));
  }

  /** Dry runs read without the lock and never create the runner's tables. */
  async #locked<T>(dryRun: boolean, fn: () => Promise<T>): Promise<T> {
    if (dryRun) return fn();
    await this.#lock();
    try {
      await this.db.prepare();
      return await fn();
    } finally {
      await this.db.unlock();
    }
  }

  async #lock(): Promise<void> {
    const timeout = this.options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const deadline = Date.now() + timeout;
    for (;;) {
      if (await this.db.tryLock()) return;
      this.options.signal?.throwIfAborted();
      if (Date.now() >= deadline) {
        throw new WfError(
          "WF_ERR_MIGRATION_LOCKED",
          `${this.db.display}: another migration run still holds the lock after ${timeout < 1000 ? `${timeout} ms` : `${Math.round(timeout / 1000)} s`}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }

  async #report(): Promise<MigrationReport> {
    if (!(await this.db.prepared())) {
      const none = { version: undefined, dirty: false };
      return buildReport(this.scope, this.db.display, this.set, none, []);
    }
    const [stateRow] = await this.db.query<{ version: unknown; dirty: unknown }>(
      `SELECT version, dirty FROM ${STATE_TABLE} WHERE scope = $1`,
      [this.scope],
    );
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT version, description, checksum, applied_at, duration_ms FROM ${HISTORY_TABLE} WHERE scope = $1 ORDER BY version`,
      [this.scope],
    );
    const state: MigrationState = {
      version: stateRow?.version == null ? undefined : Number(stateRow.version),
      dirty: stateRow ? Boolean(stateRow.dirty) : false,
    };
    const applied = rows.map(
      (r): AppliedMigration => ({
        version: Number(r.version),
        description: String(r.description),
        checksum: String(r.checksum),
        appliedAt: r.applied_at instanceof Date ? r.applied_at.toISOString() : String(r.applied_at),
        durationMs: r.duration_ms == null ? undefined : Number(r.duration_ms),
      }),
    );
    return buildReport(this.scope, this.db.display, this.set, state, applied);
  }

  async #apply(steps: MigrationStep[], dryRun: boolean): Promise<RunOutcome> {
    const done: StepDone[] = [];
    let current = (await this.#report()).current;
    if (!dryRun) {
      for (const step of steps) {
        this.options.signal?.throwIfAborted();
        const started = performance.now();
        await this.#runStep(step, current);
        current = step.versionAfter;
        const finished: StepDone = {
          direction: step.direction,
          version: step.migration.version,
          description: step.migration.description,
          file: step.file.display,
          durationMs: Math.round(performance.now() - started),
        };
        done.push(finished);
        this.options.onStep?.(finished);
      }
    }
    return { steps, done, current, dryRun };
  }

  async #runStep(step: MigrationStep, before: number | undefined): Promise<void> {
    const statements = splitStatements(step.file.sql, this.db.dialect);
    const started = performance.now();
    const record = async () => {
      if (step.direction === "up") {
        await this.db.query(
          `INSERT INTO ${HISTORY_TABLE} (scope, version, description, checksum, applied_at, duration_ms)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            this.scope,
            step.migration.version,
            step.migration.description,
            step.migration.up.checksum,
            now(),
            Math.round(performance.now() - started),
          ],
        );
      } else {
        await this.db.query(`DELETE FROM ${HISTORY_TABLE} WHERE scope = $1 AND version = $2`, [
          this.scope,
          step.migration.version,
        ]);
      }
      await this.#setState(step.versionAfter, false);
    };
    if (step.file.noTransaction) {
      // Dirty at the version being moved while it runs: a failure leaves it so.
      await this.#transaction(() => this.#setState(step.migration.version, true));
      await this.#execAll(step, statements, true);
      await this.#transaction(record);
      return;
    }
    await this.db.begin();
    try {
      await this.#execAll(step, statements, false, before);
      await record();
      await this.db.commit();
    } catch (err) {
      await this.db.rollback();
      throw err;
    }
  }

  async #execAll(
    step: MigrationStep,
    statements: readonly SqlStatement[],
    dirty: boolean,
    before?: number,
  ): Promise<void> {
    for (const statement of statements) {
      try {
        await this.db.exec(statement.text);
      } catch (err) {
        const what = this.scope === APP_SCOPE ? "the database" : this.scope;
        const outcome = dirty
          ? `it runs outside a transaction, so ${what} is now dirty at version ${step.migration.version}: check it, then \`wfctl migrate repair\``
          : `rolled back: ${what} stays at version ${before ?? 0}`;
        throw new WfError(
          "WF_ERR_MIGRATION_FAILED",
          `${step.file.display}:${statement.line}:${statement.column}: ${step.direction} ${step.migration.version} failed: ${toError(err).message}\n  in: ${statement.preview}\n  ${outcome}`,
          { cause: err },
        );
      }
    }
  }

  async #transaction(fn: () => Promise<void>): Promise<void> {
    await this.db.begin();
    try {
      await fn();
      await this.db.commit();
    } catch (err) {
      await this.db.rollback();
      throw err;
    }
  }

  async #setState(version: number | undefined, dirty: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO ${STATE_TABLE} (scope, version, dirty, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope) DO UPDATE SET version = excluded.version, dirty = excluded.dirty, updated_at = excluded.updated_at`,
      [this.scope, version ?? null, dirty ? 1 : 0, now()],
    );
  }
}

/** A version given by a person (a flag, a request): a whole number, 0 meaning none. */
export function parseMigrationVersion(flag: string, value: string): number {
  const version = Number(value.trim());
  if (value.trim() === "" || !Number.isSafeInteger(version) || version < 0) {
    throw new WfError(
      "WF_ERR_USAGE",
      `${flag} "${value}" is not a migration version (a whole number)`,
    );
  }
  return version;
}

const now = (): string => new Date().toISOString();
