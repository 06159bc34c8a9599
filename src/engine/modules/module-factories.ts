import path from "node:path";
import type { ModuleConfig, WorkflowConfig } from "../../config/index.js";
import { parseDuration } from "../../config/index.js";
import {
  type CallOptions,
  isMigrationProvider,
  type MigrationProvider,
  type MigrationSource,
  type PipelineLogger,
  type Reconfigurable,
} from "../../contracts/index.js";
import { formatDiagnostic, type UserDiagnostic, WfError } from "../../diagnostics/index.js";
import {
  migrateUp,
  type NamedMigrationProvider,
  readMigrationSet,
} from "../../migrations/index.js";
import {
  TENANT_REGISTRY_TYPE,
  TENANT_RESOLVER_TYPE,
  TenantRegistryModule,
  TenantResolverModule,
} from "../../tenants/tenant-modules.js";
import { PostgresDatabase } from "../database/postgres-database.js";
import type { SqlDatabase } from "../database/sql-database.js";
import { SqliteDatabase } from "../database/sqlite-database.js";
import { MemoryEventBus } from "../eventbus/memory-event-bus.js";
import { ExecutionStore, type RecordDataMode, type RecordMode } from "../execution-store/index.js";
import { type HttpServerConfig, HttpServerModule } from "../http/http-server-module.js";
import { PrometheusMetrics } from "../metrics/prometheus-metrics.js";
import type { ExecutionEvents, ExecutionEventsRecorder } from "../pipeline/execution-events.js";
import { DATABASE_TYPES, type DatabaseModule, type DatabaseUser } from "./database-module.js";
import {
  type EngineModule,
  type HealthStatus,
  ModuleConfigError,
  type ModuleHost,
} from "./engine-module.js";

/** Module types other subsystems run (infrastructure): the engine leaves them alone. */
const NOT_ENGINE = /^(?:iac|infra)\./;

/**
 * `database.sqlite` / `database.postgres`: opens at init; at start applies, in one
 * locked run, the migrations of the modules that use it (execution store, tenant
 * registry…, in dependency order) and then its own `migrations` folder.
 */
class SqlDatabaseModule implements DatabaseModule {
  #db: SqlDatabase | undefined;
  #host: ModuleHost | undefined;

  constructor(
    readonly name: string,
    readonly type: (typeof DATABASE_TYPES)[number],
    private readonly config: Readonly<Record<string, unknown>>,
  ) {}

  database(): SqlDatabase {
    if (!this.#db) throw new Error(`database "${this.name}" is not open`);
    return this.#db;
  }

  async init(host: ModuleHost): Promise<void> {
    this.#host = host;
    if (this.type === "database.sqlite") {
      const file = String(this.config.path);
      this.#db = new SqliteDatabase({
        name: this.name,
        path: file === ":memory:" ? file : path.resolve(host.configDir, file),
      });
    } else {
      this.#db = await PostgresDatabase.connect({
        name: this.name,
        dsn: String(this.config.dsn),
        ...(typeof this.config.pool_size === "number" ? { poolSize: this.config.pool_size } : {}),
        logger: host.logger,
      });
    }
  }

  async start(): Promise<void> {
    const host = this.#host as ModuleHost;
    const modules: NamedMigrationProvider[] = host
      .modules()
      .filter(
        (m): m is EngineModule & MigrationProvider & DatabaseUser =>
          isMigrationProvider(m) && (m as Partial<DatabaseUser>).databaseName === this.name,
      )
      .map((m) => ({ name: m.name, provider: m }));
    const dir =
      typeof this.config.migrations === "string"
        ? path.resolve(host.configDir, this.config.migrations)
        : undefined;
    if (modules.length === 0 && dir === undefined) return;
    const migrations = await this.database().migrationDatabase();
    try {
      const outcomes = await migrateUp(migrations, {
        modules,
        ...(dir ? { app: await readMigrationSet({ dir }) } : {}),
      });
      for (const { scope, outcome } of outcomes) {
        if (outcome.done.length > 0) {
          host.logger.info(
            { database: this.name, scope, applied: outcome.done.length, version: outcome.current },
            "migrations applied",
          );
        }
      }
    } finally {
      await migrations.close();
    }
  }

  async stop(): Promise<void> {
    await this.#db?.close();
  }

  async health(): Promise<HealthStatus> {
    try {
      await this.database().query("SELECT 1");
      return { status: "healthy" };
    } catch (err) {
      return { status: "unhealthy", detail: (err as Error).message };
    }
  }
}

/**
 * `execution.store`: the app's EventRecorder, in its database module. A reload that
 * changes only `record`, `record_data` or `retention` reconfigures it in place.
 */
class ExecutionStoreModule
  implements EngineModule, ExecutionEventsRecorder, MigrationProvider, DatabaseUser, Reconfigurable
{
  readonly type = "execution.store";
  readonly databaseName: string;
  #store: ExecutionStore | undefined;

  constructor(
    readonly name: string,
    private readonly config: Readonly<Record<string, unknown>>,
  ) {
    this.databaseName = String(config.database);
  }

  init(host: ModuleHost): void {
    const db = host.module<DatabaseModule>(
      this.databaseName,
      DATABASE_TYPES,
      `execution.store "${this.name}"`,
    );
    this.#store = new ExecutionStore({
      database: db.database(),
      logger: host.logger as PipelineLogger,
      ...recordingOptions(this.config),
    });
  }

  async reconfigure(newConfig: Record<string, unknown>): Promise<void> {
    await this.store().reconfigure(recordingOptions(newConfig));
  }

  store(): ExecutionStore {
    if (!this.#store) throw new Error(`execution.store "${this.name}" was not initialised`);
    return this.#store;
  }

  providesMigrations(): Promise<MigrationSource> {
    return this.store().providesMigrations();
  }

  migrationsDependencies(): string[] {
    return [];
  }

  recordEvent(
    id: string,
    type: string,
    data: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<void> {
    return this.store().recordEvent(id, type, data, opts);
  }

  eventsOf(id: string): ExecutionEvents {
    return this.store().eventsOf(id);
  }

  async start(): Promise<void> {
    await this.store().start();
  }

  async stop(): Promise<void> {
    await this.#store?.close();
  }
}

/** What an execution.store config says about recording (its schema checked the values). */
function recordingOptions(config: Readonly<Record<string, unknown>>) {
  const retention =
    typeof config.retention === "string" ? parseDuration(config.retention) : undefined;
  return {
    record: (config.record as RecordMode | undefined) ?? "all",
    recordData: (config.record_data as RecordDataMode | undefined) ?? "failed",
    ...(retention !== undefined ? { retention } : {}),
  };
}

/**
 * The engine's modules of a config (those `include` selects), one per module whose
 * type has a runtime. Every module config that cannot work — a reference to a missing
 * module or one of the wrong type, a setting its module refuses — is reported at
 * once, positioned.
 */
export function createModules(
  config: WorkflowConfig,
  reuse: (module: ModuleConfig) => EngineModule | undefined = () => undefined,
  include: (module: ModuleConfig) => boolean = () => true,
): EngineModule[] {
  const diagnostics: UserDiagnostic[] = [];
  const problem = (module: ModuleConfig, at: readonly (string | number)[], message: string) =>
    diagnostics.push(moduleDiagnostic(config, module, at, message));
  const resolvers = config.modules.filter((m) => m.type === TENANT_RESOLVER_TYPE);
  for (const extra of resolvers.slice(1)) {
    problem(extra, [], `an app has one tenants.resolver; "${resolvers[0]?.name}" is already it`);
  }
  const modules: EngineModule[] = [];
  for (const module of config.modules) {
    if (NOT_ENGINE.test(module.type) || !include(module)) continue;
    for (const [key, types] of Object.entries(MODULE_REFERENCES[module.type] ?? {})) {
      const name = module.config[key];
      const target = config.modules.find((m) => m.name === name);
      if (typeof name !== "string" || (target && types.includes(target.type))) continue;
      const candidates = config.modules.filter((m) => types.includes(m.type)).map((m) => m.name);
      problem(
        module,
        [key],
        `${key}: ${target ? `module "${name}" is a ${target.type}, not a ${types.join(" or ")}` : `no module "${name}"`}${candidates.length > 0 ? ` (${types.join("/")} modules: ${candidates.join(", ")})` : `; add a ${types.join(" or ")} module`}`,
      );
    }
    try {
      modules.push(reuse(module) ?? createModule(module));
    } catch (err) {
      if (!(err instanceof ModuleConfigError)) throw err;
      for (const p of err.problems) problem(module, p.path, p.message);
    }
  }
  if (diagnostics.length > 0) {
    throw new WfError(
      "WF_ERR_CONFIG_SCHEMA",
      diagnostics.length === 1
        ? formatDiagnostic(diagnostics[0] as UserDiagnostic)
        : `the config cannot run: ${diagnostics.length} error(s)`,
      { diagnostics },
    );
  }
  return modules;
}

function moduleDiagnostic(
  config: WorkflowConfig,
  module: ModuleConfig,
  at: readonly (string | number)[],
  message: string,
): UserDiagnostic {
  const where = config.locate(["modules", config.modules.indexOf(module), "config", ...at]);
  return {
    severity: "error",
    code: "WF_ERR_CONFIG_SCHEMA",
    message: `module "${module.name}": ${message}`,
    ...(where ? { source: where } : {}),
  };
}

/** Module types `wfctl run` can run (the others are another subsystem's, or not built). */
export function hasRuntime(type: string): boolean {
  return RUNTIME_TYPES.includes(type);
}

const RUNTIME_TYPES = [
  "http.server",
  ...DATABASE_TYPES,
  "execution.store",
  "eventbus.memory",
  "metrics.prometheus",
  TENANT_REGISTRY_TYPE,
  TENANT_RESOLVER_TYPE,
];

function createModule(module: ModuleConfig): EngineModule {
  const c = module.config;
  switch (module.type) {
    case "http.server":
      return new HttpServerModule(module.name, c as HttpServerConfig);
    case "database.sqlite":
    case "database.postgres":
      return new SqlDatabaseModule(module.name, module.type, c);
    case "execution.store":
      return new ExecutionStoreModule(module.name, c);
    case "eventbus.memory":
      return new MemoryEventBus(module.name);
    case "metrics.prometheus":
      return new PrometheusMetrics(module.name, typeof c.path === "string" ? c.path : undefined);
    case TENANT_REGISTRY_TYPE:
      return new TenantRegistryModule(module.name, c);
    case TENANT_RESOLVER_TYPE:
      return new TenantResolverModule(module.name, c);
    default:
      throw new WfError(
        "WF_ERR_NOT_IMPLEMENTED",
        `module "${module.name}": type ${module.type} has no runtime in this version of wfctl`,
      );
  }
}

/** Per module type: config keys naming another module it uses, and that module's types. */
const MODULE_REFERENCES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  "execution.store": { database: DATABASE_TYPES },
  [TENANT_REGISTRY_TYPE]: { database: DATABASE_TYPES },
  [TENANT_RESOLVER_TYPE]: { registry: [TENANT_REGISTRY_TYPE] },
};

/** The modules a module uses: its `dependsOn` and those its config names (`database`, `registry`). */
export function moduleDependencies(module: ModuleConfig): string[] {
  const named = Object.keys(MODULE_REFERENCES[module.type] ?? {})
    .map((key) => module.config[key])
    .filter((name): name is string => typeof name === "string");
  return [...module.dependsOn, ...named];
}

/**
 * Dependency order: `dependsOn` and the modules a config names (`database`, `registry`),
 * ties by declaration order; a cycle is an error naming it.
 */
export function orderModules(config: WorkflowConfig, modules: EngineModule[]): EngineModule[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const deps = new Map<string, string[]>();
  for (const m of config.modules) {
    if (!byName.has(m.name)) continue;
    deps.set(
      m.name,
      moduleDependencies(m).filter((r) => byName.has(r)),
    );
  }
  const ordered: EngineModule[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      throw new WfError(
        "WF_ERR_CONFIG_CYCLE",
        `module dependency cycle: ${[...trail.slice(trail.indexOf(name)), name].join(" → ")}`,
      );
    }
    state.set(name, "visiting");
    for (const dep of deps.get(name) ?? []) visit(dep, [...trail, name]);
    state.set(name, "done");
    ordered.push(byName.get(name) as EngineModule);
  };
  for (const m of modules) visit(m.name, []);
  return ordered;
}
