import path from "node:path";
import type { ModuleConfig } from "../../config/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { CliIO } from "../cli-io.js";
import { loadValidConfig } from "../command-config.js";
import type { GlobalOptions } from "../global-options.js";

/** The connection and migration flags every `wfctl migrate` command takes. */
export interface TargetFlags {
  readonly database?: string;
  readonly dsn?: string;
  readonly dsnEnv?: string;
  readonly dir?: string;
}

/** Which database, and where its migration files are. */
export interface MigrationTarget {
  /** Undefined when no database was named (commands that only read files). */
  readonly dsn: string | undefined;
  readonly dir: string;
  /** Relative paths of a config's modules resolve here; else the working directory. */
  readonly baseDir: string;
}

const DATABASE_TYPES = ["database.sqlite", "database.postgres"];
const DEFAULT_DIR = "migrations";
const DSN_VARIABLE = "DATABASE_URL";

/**
 * Resolves the flags: `--dsn`, `--dsn-env VAR` (keeps the DSN off the command line)
 * or `--database MODULE` (a `database.sqlite` / `database.postgres` module of the
 * config, whose `migrations` folder is the default `--dir`); at most one of them,
 * else `$DATABASE_URL` when set.
 * `--dir` defaults to `migrations` in the working directory.
 */
export async function resolveTarget(
  flags: TargetFlags,
  globals: GlobalOptions,
  io: CliIO,
): Promise<MigrationTarget> {
  const given = [flags.database, flags.dsn, flags.dsnEnv].filter((f) => f !== undefined);
  if (given.length > 1) {
    throw new WfError("WF_ERR_USAGE", "give one of --database, --dsn and --dsn-env");
  }
  const dir = (base: string, fallback = DEFAULT_DIR) => path.resolve(base, flags.dir ?? fallback);
  if (flags.dsn !== undefined) return { dsn: flags.dsn, dir: dir(io.cwd), baseDir: io.cwd };
  if (flags.dsnEnv !== undefined) {
    const dsn = io.env[flags.dsnEnv];
    if (dsn === undefined || dsn === "") {
      throw new WfError("WF_ERR_USAGE", `--dsn-env ${flags.dsnEnv}: the variable is not set`);
    }
    return { dsn, dir: dir(io.cwd), baseDir: io.cwd };
  }
  if (flags.database === undefined) {
    // Like dbmate: DATABASE_URL when nothing else names the database (a deploy job's case).
    const fromEnv = io.env[DSN_VARIABLE] || undefined;
    return { dsn: fromEnv, dir: dir(io.cwd), baseDir: io.cwd };
  }
  const config = await loadValidConfig(globals, io);
  const module = config.modules.find((m) => m.name === flags.database);
  if (!module || !DATABASE_TYPES.includes(module.type)) {
    const names = config.modules.filter((m) => DATABASE_TYPES.includes(m.type)).map((m) => m.name);
    throw new WfError(
      "WF_ERR_CONFIG_REFERENCE",
      `--database ${flags.database}: ${module ? `module "${module.name}" is a ${module.type}, not a database` : "no such module"} in ${config.file}; ${names.length > 0 ? `database modules: ${names.join(", ")}` : "declare a database.sqlite or database.postgres module"}`,
    );
  }
  const migrations =
    typeof module.config.migrations === "string" ? module.config.migrations : DEFAULT_DIR;
  return {
    dsn: moduleDsn(module, config.dir),
    dir: dir(config.dir, migrations),
    baseDir: config.dir,
  };
}

function moduleDsn(module: ModuleConfig, configDir: string): string {
  if (module.type === "database.sqlite") {
    const file = String(module.config.path);
    return `sqlite:${file === ":memory:" ? file : path.resolve(configDir, file)}`;
  }
  return String(module.config.dsn);
}

/** The DSN, or a usage error for a command that needs a database. */
export function requireDsn(target: MigrationTarget): string {
  if (target.dsn === undefined) {
    throw new WfError(
      "WF_ERR_USAGE",
      "name the database: --database MODULE (of the config), --dsn DSN, --dsn-env VAR or DATABASE_URL",
    );
  }
  return target.dsn;
}
