/**
 * Migrations: versioned SQL files applied to SQLite and PostgreSQL with a history,
 * a lock, dirty-state repair, and modules' own migrations ordered by dependency.
 */
export { createMigration } from "./create-migration.js";
export { PostgresMigrationDatabase } from "./drivers/postgres-database.js";
export { SqliteMigrationDatabase } from "./drivers/sqlite-database.js";
export type {
  AppliedMigration,
  MigrationDatabase,
  MigrationState,
} from "./migration-database.js";
export {
  type Migration,
  type MigrationFile,
  type MigrationSet,
  readMigrationSet,
} from "./migration-files.js";
export {
  type ChangedMigration,
  type MigrationReport,
  type MigrationStep,
  reportProblems,
} from "./migration-plan.js";
export {
  APP_SCOPE,
  Migrator,
  type MigratorOptions,
  parseMigrationVersion,
  type RepairOptions,
  type RepairOutcome,
  type RunOutcome,
  type StepDone,
} from "./migrator.js";
export {
  migrateUp,
  moduleScope,
  type NamedMigrationProvider,
  orderMigrationProviders,
  type ScopeOutcome,
} from "./module-migrations.js";
export { openMigrationDatabase } from "./open-migration-database.js";
export { SqlMigrationDriver } from "./sql-migration-driver.js";
