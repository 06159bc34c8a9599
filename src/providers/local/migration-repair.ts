import { existsSync } from "node:fs";
import path from "node:path";
import {
  type CallOptions,
  type CanonicalServiceConfig,
  type Diagnostic,
  ErrResourceNotFound,
  ErrValidation,
  type MigrationRepairRequest,
  type MigrationRepairResult,
  validateMigrationRepairRequest,
  wrapSentinel,
} from "../../contracts/index.js";
import { wfctlCommand } from "../../package-root.js";
import { shellLine } from "../../shell-quote.js";
import { DATABASE_TYPE, type DatabaseDriver } from "./database-driver.js";
import { logTail, runJob } from "./deploy-jobs.js";
import type { LocalContext } from "./local-context.js";
import { SERVICE_TYPE } from "./service-driver.js";
import { serviceEnv } from "./service-spec.js";
import { logDir } from "./supervisor-client.js";

/** Lines of the repair job's log returned in the result. */
const RESULT_LOG_LINES = 50;

/** The job's timeout without `timeout_seconds` (upstream's default). */
const DEFAULT_TIMEOUT_SECONDS = 600;

/** The variable that carries the database URI to the job, never its command line. */
const DSN_VARIABLE = "DATABASE_URL";

/**
 * ProviderMigrationRepairer for the local provider: runs `wfctl migrate repair` as a
 * one-off job of the app service (its folder, its environment) against the database
 * resource, whose URI reaches the job through DATABASE_URL. The job's outcome is the
 * result's status; only a request that cannot run at all rejects.
 */
export async function repairDirtyMigration(
  ctx: LocalContext,
  database: DatabaseDriver,
  req: MigrationRepairRequest,
  opts: CallOptions = {},
): Promise<MigrationRepairResult> {
  validateMigrationRepairRequest(req);
  const app = await ctx.workdir.record(SERVICE_TYPE, req.app_resource_name);
  if (!app) {
    throw wrapSentinel(
      ErrResourceNotFound,
      `migration repair: the local provider has no ${SERVICE_TYPE} "${req.app_resource_name}"; apply it first`,
    );
  }
  const db = await database.read({ name: req.database_resource_name, type: DATABASE_TYPE }, opts);
  const config = app.config as CanonicalServiceConfig;
  const cwd = path.resolve(ctx.configDir, config.source_dir ?? ".");
  const migrations = path.resolve(cwd, req.source_dir);
  if (!existsSync(migrations)) {
    throw wrapSentinel(
      ErrValidation,
      `migration repair: source_dir ${migrations} does not exist; give the migrations folder relative to ${cwd} (the app's source_dir)`,
    );
  }
  const started = new Date();
  const jobId = `migration-repair-${started.toISOString().replaceAll(/[:.]/g, "-")}`;
  const log = path.join(logDir(ctx.workdir.dir(SERVICE_TYPE, app.name)), `${jobId}.log`);
  const diagnostics: Diagnostic[] = [
    {
      id: jobId,
      phase: "configure",
      cause: `job_image "${req.job_image}" is not used: the local provider runs the repair with this installation's wfctl`,
      at: started.toISOString(),
    },
  ];
  let status: MigrationRepairResult["status"] = "succeeded";
  try {
    await runJob(
      { name: jobId, run_command: shellLine(repairArgv(req, migrations)) },
      {
        resource: app.name,
        cwd,
        env: { ...serviceEnv(config), ...req.env, [DSN_VARIABLE]: String(db.outputs.uri) },
        logDir: path.dirname(log),
        timeoutMs: (req.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      log,
    );
  } catch (err) {
    status = "failed";
    diagnostics.push({
      id: jobId,
      phase: "failed",
      cause: (err as Error).message.split("\n")[0] ?? "",
      at: new Date().toISOString(),
    });
  }
  return {
    provider_job_id: jobId,
    status,
    logs: (await logTail(log, RESULT_LOG_LINES)).join("\n"),
    diagnostics,
  };
}

function repairArgv(req: MigrationRepairRequest, migrations: string): string[] {
  const { command, args } = wfctlCommand();
  return [
    command,
    ...args,
    "migrate",
    "repair",
    "--dsn-env",
    DSN_VARIABLE,
    "--dir",
    migrations,
    "--expected-dirty-version",
    req.expected_dirty_version,
    "--force-version",
    req.force_version,
    "--confirm-force",
    req.confirm_force,
    ...(req.then_up ? ["--then-up"] : []),
    ...(req.up_if_clean ? ["--up-if-clean"] : []),
  ];
}
