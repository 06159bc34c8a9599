import type { MigrationProvider } from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";
import type { MigrationDatabase } from "./migration-database.js";
import { type MigrationSet, readMigrationSet } from "./migration-files.js";
import { APP_SCOPE, Migrator, type MigratorOptions, type RunOutcome } from "./migrator.js";

/** A module that ships migrations; its history is kept under `module/<name>`. */
export interface NamedMigrationProvider {
  readonly name: string;
  readonly provider: MigrationProvider;
}

/**
 * Providers in an order where each comes after those it depends on (ties by name,
 * so the order is stable). An unknown dependency or a cycle is an error naming it.
 */
export function orderMigrationProviders(
  providers: readonly NamedMigrationProvider[],
): NamedMigrationProvider[] {
  const byName = new Map(providers.map((p) => [p.name, p]));
  const ordered: NamedMigrationProvider[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (p: NamedMigrationProvider, path: string[]): void => {
    if (state.get(p.name) === "done") return;
    if (state.get(p.name) === "visiting") {
      const cycle = [...path.slice(path.indexOf(p.name)), p.name];
      throw new WfError(
        "WF_ERR_CONFIG_CYCLE",
        `migration dependency cycle: ${cycle.join(" → ")}; remove one of these migrationsDependencies`,
      );
    }
    state.set(p.name, "visiting");
    for (const dep of [...p.provider.migrationsDependencies()].sort()) {
      const target = byName.get(dep);
      if (!target) {
        throw new WfError(
          "WF_ERR_CONFIG_REFERENCE",
          `module "${p.name}" needs the migrations of "${dep}", which is not a module that ships migrations`,
        );
      }
      visit(target, [...path, p.name]);
    }
    state.set(p.name, "done");
    ordered.push(p);
  };
  for (const p of [...providers].sort((a, b) => a.name.localeCompare(b.name))) visit(p, []);
  return ordered;
}

/** The history scope of a module's migrations: never the app's. */
export function moduleScope(module: string): string {
  return `module/${module}`;
}

export interface ScopeOutcome {
  readonly scope: string;
  readonly outcome: RunOutcome;
}

/**
 * Brings a database up to date: every module's migrations in dependency order, each
 * under its own scope (its own version and history), then the app's. This is what
 * the engine's database modules call at start, and `wfctl migrate up` for a config.
 */
export async function migrateUp(
  db: MigrationDatabase,
  sources: { readonly modules?: readonly NamedMigrationProvider[]; readonly app?: MigrationSet },
  options: Omit<MigratorOptions, "scope"> & { readonly dryRun?: boolean } = {},
): Promise<ScopeOutcome[]> {
  const outcomes: ScopeOutcome[] = [];
  for (const { name, provider } of orderMigrationProviders(sources.modules ?? [])) {
    const set = await readMigrationSet(await provider.providesMigrations());
    const scope = moduleScope(name);
    const outcome = await new Migrator(db, set, { ...options, scope }).up(
      undefined,
      options.dryRun,
    );
    outcomes.push({ scope, outcome });
  }
  if (sources.app) {
    const outcome = await new Migrator(db, sources.app, { ...options, scope: APP_SCOPE }).up(
      undefined,
      options.dryRun,
    );
    outcomes.push({ scope: APP_SCOPE, outcome });
  }
  return outcomes;
}
