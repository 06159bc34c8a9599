import type { SqlDatabase } from "../database/sql-database.js";
import type { EngineModule } from "./engine-module.js";

export const DATABASE_TYPES = ["database.sqlite", "database.postgres"] as const;

/** A database module: what db steps and stores reach through `database: NAME`. */
export interface DatabaseModule extends EngineModule {
  database(): SqlDatabase;
}

export function isDatabaseModule(m: EngineModule): m is DatabaseModule {
  return (DATABASE_TYPES as readonly string[]).includes(m.type);
}

/**
 * Modules that keep tables in a database module (execution store, tenant registry)
 * declare which one: that module applies their migrations when it starts.
 */
export interface DatabaseUser {
  readonly databaseName: string;
}
