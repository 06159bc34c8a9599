import path from "node:path";
import type { WorkflowConfig } from "../../config/index.js";
import { WfError } from "../../diagnostics/index.js";
import { PostgresDatabase } from "../../engine/database/postgres-database.js";
import type { SqlDatabase } from "../../engine/database/sql-database.js";
import { SqliteDatabase } from "../../engine/database/sqlite-database.js";

/**
 * Runs `fn` with the config's database module `name` opened (as `wfctl run` opens it,
 * a SQLite path relative to the config's folder), and closes it after.
 */
export async function withConfigDatabase<T>(
  config: WorkflowConfig,
  name: string,
  neededBy: string,
  fn: (db: SqlDatabase) => Promise<T>,
): Promise<T> {
  const module = config.modules.find((m) => m.name === name);
  if (!module || (module.type !== "database.sqlite" && module.type !== "database.postgres")) {
    throw new WfError(
      "WF_ERR_CONFIG_REFERENCE",
      `${neededBy}: no database module "${name}" in ${config.file}`,
    );
  }
  const file = String(module.config.path);
  const db: SqlDatabase =
    module.type === "database.sqlite"
      ? new SqliteDatabase({
          name: module.name,
          path: file === ":memory:" ? file : path.resolve(config.dir, file),
        })
      : await PostgresDatabase.connect({
          name: module.name,
          dsn: String(module.config.dsn),
          poolSize: 1,
        });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
