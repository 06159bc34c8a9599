import {
  type CallOptions,
  type MigrationDriver,
  type MigrationRequest,
  type MigrationResult,
  type MigrationStatus,
  validateMigrationRequest,
} from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";
import { readMigrationSet } from "./migration-files.js";
import { APP_SCOPE, Migrator, parseMigrationVersion, type RunOutcome } from "./migrator.js";
import { openMigrationDatabase } from "./open-migration-database.js";
import type { SqlDialect } from "./sql-statements.js";

/**
 * The seed's MigrationDriver over wfctl's runner, for one engine: a request's DSN
 * must name that engine. `source.schemaName` selects the history scope (default:
 * the app's); `options.steps`, `dryRun`, `timeout` (ms, bounds the lock wait) apply.
 * In a dry run `applied` lists what would run and `current` stays as it is.
 */
export class SqlMigrationDriver implements MigrationDriver {
  constructor(readonly dialect: SqlDialect) {}

  name(): string {
    return this.dialect;
  }

  async up(req: MigrationRequest, opts: CallOptions = {}): Promise<MigrationResult> {
    return this.#run(req, opts, (m) => m.up(steps(req), req.options?.dryRun));
  }

  async down(req: MigrationRequest, opts: CallOptions = {}): Promise<MigrationResult> {
    return this.#run(req, opts, (m) => m.down(steps(req) ?? 1, req.options?.dryRun));
  }

  async goto(
    req: MigrationRequest,
    target: string,
    opts: CallOptions = {},
  ): Promise<MigrationResult> {
    const version = parseMigrationVersion("goto", target);
    return this.#run(req, opts, (m) => m.goto(version, req.options?.dryRun));
  }

  async status(req: MigrationRequest, opts: CallOptions = {}): Promise<MigrationStatus> {
    return this.#with(req, opts, async (m) => {
      const report = await m.status();
      return {
        current: versionText(report.current),
        pending: report.pending.map((p) => String(p.version)),
        dirty: report.dirty,
      };
    });
  }

  async #run(
    req: MigrationRequest,
    opts: CallOptions,
    fn: (m: Migrator) => Promise<RunOutcome>,
  ): Promise<MigrationResult> {
    const started = performance.now();
    return this.#with(req, opts, async (m) => {
      const outcome = await fn(m);
      return {
        applied: outcome.steps.map((s) => String(s.migration.version)),
        current: versionText(outcome.current),
        dirty: false,
        durationMs: Math.round(performance.now() - started),
      };
    });
  }

  async #with<T>(req: MigrationRequest, opts: CallOptions, fn: (m: Migrator) => Promise<T>) {
    validateMigrationRequest(req);
    const set = await readMigrationSet(req.source);
    const db = await openMigrationDatabase(req.dsn);
    try {
      if (db.dialect !== this.dialect) {
        throw new WfError(
          "WF_ERR_USAGE",
          `the ${this.dialect} migration driver was given a ${db.dialect} database`,
        );
      }
      const migrator = new Migrator(db, set, {
        scope: req.source.schemaName || APP_SCOPE,
        ...(req.options?.timeout ? { lockTimeoutMs: req.options.timeout } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return await fn(migrator);
    } finally {
      await db.close();
    }
  }
}

const steps = (req: MigrationRequest): number | undefined =>
  req.options?.steps ? req.options.steps : undefined;

const versionText = (version: number | undefined): string =>
  version === undefined ? "" : String(version);
