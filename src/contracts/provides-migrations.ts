import { hasMethods } from "./guards.js";
import type { MigrationSource } from "./migration-driver.js";

/**
 * Optional module capability: modules that ship their own SQL migrations (tenants,
 * authz, ...). The runner collects them from every module, orders them by declared
 * dependency, and applies them before the application's own migrations.
 */
export interface MigrationProvider {
  /**
   * The module's migrations, named `<version>_<desc>.up.sql` / `.down.sql` (the
   * seed returns an fs.FS rooted at the migrations directory).
   */
  providesMigrations(): Promise<MigrationSource>;
  /** Names of MigrationProvider modules whose migrations must run first; [] for none. */
  migrationsDependencies(): string[];
}

export function isMigrationProvider(x: unknown): x is MigrationProvider {
  return hasMethods(x, "providesMigrations", "migrationsDependencies");
}
