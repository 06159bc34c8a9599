/**
 * The app modules of the tenants subsystem: `tenants.registry` (tenants stored in a
 * database module, cached) and `tenants.resolver` (each HTTP request's tenant).
 */
import type {
  MigrationProvider,
  MigrationSource,
  PipelineLogger,
  Tenant,
  TenantRequest,
} from "../contracts/index.js";
import {
  DATABASE_TYPES,
  type DatabaseModule,
  type DatabaseUser,
} from "../engine/modules/database-module.js";
import {
  type EngineModule,
  ModuleConfigError,
  type ModuleHost,
} from "../engine/modules/engine-module.js";
import { CachedTenantRegistry } from "./cached-tenant-registry.js";
import { type ResolverMode, SelectorTenantResolver } from "./selector-tenant-resolver.js";
import {
  createSelector,
  isPathSelector,
  type PathSelector,
  type SelectorConfig,
  type TenantSelector,
} from "./selectors.js";
import { SqlTenantRegistry } from "./sql-tenant-registry.js";
import { tenantRegistryMigrations } from "./tenant-registry-schema.js";

export const TENANT_REGISTRY_TYPE = "tenants.registry";
export const TENANT_RESOLVER_TYPE = "tenants.resolver";

/** `tenants.registry`: its tables are migrated by its database module when that starts. */
export class TenantRegistryModule implements EngineModule, MigrationProvider, DatabaseUser {
  readonly type = TENANT_REGISTRY_TYPE;
  readonly databaseName: string;
  #registry: CachedTenantRegistry | undefined;
  #dialect: "sqlite" | "postgres" = "sqlite";

  constructor(
    readonly name: string,
    config: Readonly<Record<string, unknown>>,
  ) {
    this.databaseName = String(config.database);
  }

  init(host: ModuleHost): void {
    const db = host
      .module<DatabaseModule>(this.databaseName, DATABASE_TYPES, `tenants.registry "${this.name}"`)
      .database();
    this.#dialect = db.dialect;
    this.#registry = new CachedTenantRegistry(new SqlTenantRegistry(db), {
      logger: host.logger as PipelineLogger,
    });
  }

  registry(): CachedTenantRegistry {
    if (!this.#registry) throw new Error(`tenants.registry "${this.name}" was not initialised`);
    return this.#registry;
  }

  providesMigrations(): Promise<MigrationSource> {
    return Promise.resolve(tenantRegistryMigrations(this.#dialect));
  }

  migrationsDependencies(): string[] {
    return [];
  }

  async start(): Promise<void> {
    await this.registry().start();
  }

  async stop(): Promise<void> {
    this.#registry?.stop();
  }
}

/** The app's tenant resolution, as its HTTP servers apply it to every routed request. */
export interface RequestTenancy {
  /** Answer 404 when a request has no (active) tenant. */
  readonly required: boolean;
  /** The URL as it is routed: a path selector's part taken out (undefined: unchanged). */
  strip(url: string): string | undefined;
  /** The request's tenant; rejects with an error matching ErrForbidden when selectors disagree. */
  resolve(req: TenantRequest): Promise<Tenant | undefined>;
}

/** `tenants.resolver`: selectors are built with the module, so `wfctl validate` checks them. */
export class TenantResolverModule implements EngineModule, RequestTenancy {
  readonly type = TENANT_RESOLVER_TYPE;
  readonly required: boolean;
  readonly registryName: string;
  readonly #selectors: TenantSelector[];
  readonly #pathSelector: PathSelector | undefined;
  readonly #mode: ResolverMode;
  readonly #minVotes: number | undefined;
  #resolver: SelectorTenantResolver | undefined;

  /** Throws a ModuleConfigError naming each selector whose config cannot work. */
  constructor(
    readonly name: string,
    config: Readonly<Record<string, unknown>>,
  ) {
    this.registryName = String(config.registry);
    this.required = config.required === true;
    this.#mode = (config.mode as ResolverMode | undefined) ?? "first_match";
    this.#minVotes = typeof config.min_votes === "number" ? config.min_votes : undefined;
    const configs = (config.selectors ?? []) as SelectorConfig[];
    const problems: { path: (string | number)[]; message: string }[] = [];
    this.#selectors = configs.flatMap((selector, index) => {
      try {
        return [createSelector(selector)];
      } catch (err) {
        const message = `${selector.type} selector: ${(err as Error).message}`;
        problems.push({ path: ["selectors", index], message });
        return [];
      }
    });
    const paths = this.#selectors.filter(isPathSelector);
    if (paths.length > 1) {
      problems.push({
        path: ["selectors"],
        message: "only one path_prefix selector can take its part out of the path",
      });
    }
    if (problems.length > 0) throw new ModuleConfigError(problems);
    this.#pathSelector = paths[0];
  }

  init(host: ModuleHost): void {
    const registry = host.module<TenantRegistryModule>(
      this.registryName,
      [TENANT_REGISTRY_TYPE],
      `tenants.resolver "${this.name}"`,
    );
    this.#resolver = new SelectorTenantResolver({
      registry: registry.registry(),
      selectors: this.#selectors,
      mode: this.#mode,
      ...(this.#minVotes !== undefined ? { minVotes: this.#minVotes } : {}),
    });
  }

  strip(url: string): string | undefined {
    return this.#pathSelector?.strip(url);
  }

  resolve(req: TenantRequest): Promise<Tenant | undefined> {
    if (!this.#resolver) throw new Error(`tenants.resolver "${this.name}" was not initialised`);
    return this.#resolver.resolve(req);
  }
}
