import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { ModuleConfig, WorkflowConfig } from "../config/index.js";
import {
  type CallOptions,
  type EventRecorder,
  isReconfigurable,
  type PipelineLogger,
  type Reconfigurable,
} from "../contracts/index.js";
import { type UserDiagnostic, WfError } from "../diagnostics/index.js";
import {
  TENANT_REGISTRY_TYPE,
  TENANT_RESOLVER_TYPE,
  type TenantRegistryModule,
  type TenantResolverModule,
} from "../tenants/tenant-modules.js";
import type { SqlDatabase } from "./database/sql-database.js";
import { BusEventEmitter } from "./eventbus/bus-event-emitter.js";
import type { EventBus } from "./eventbus/event-bus.js";
import type { HttpServerModule } from "./http/http-server-module.js";
import { OpenApiDocumentBuilder } from "./http/openapi.js";
import { RouteTable } from "./http/route-table.js";
import type { PrometheusMetrics } from "./metrics/prometheus-metrics.js";
import { DATABASE_TYPES, isDatabaseModule } from "./modules/database-module.js";
import type { EngineModule, HealthStatus, ModuleHost } from "./modules/engine-module.js";
import {
  createModules,
  hasRuntime,
  moduleDependencies,
  orderModules,
} from "./modules/module-factories.js";
import {
  type BuildContext,
  buildPipelineDefinition,
  loadError,
} from "./pipeline/build-pipeline.js";
import { type Execution, type ExecutionOptions, Pipeline } from "./pipeline/pipeline.js";
import { LifecycleObserver } from "./pipeline/pipeline-observer.js";
import type { StepTypeRegistry } from "./steps/step-registry.js";
import { loadUserSteps } from "./steps/user-steps.js";
import type { EngineTrigger } from "./triggers/engine-trigger.js";
import { EventTrigger, type EventTriggerConfig } from "./triggers/event-trigger.js";
import { type HttpTriggerConfig, httpRoute } from "./triggers/http-trigger.js";
import { ScheduleTrigger, type ScheduleTriggerConfig } from "./triggers/schedule-trigger.js";

export interface AppOptions {
  readonly logger: PipelineLogger;
  /** The step types pipelines may use (built-ins plus the config's own). */
  readonly steps: StepTypeRegistry;
  /**
   * A reload: running modules of the previous app to keep (already initialised and
   * started) when their type and config are unchanged.
   */
  readonly previous?: App;
}

/**
 * A config made runnable: its modules (in dependency order), its pipelines built
 * once with every template compiled, and their triggers. `start` starts modules,
 * then triggers; `stop` stops triggers (letting their runs finish), then modules in
 * reverse order.
 */
export class App implements ModuleHost {
  readonly configDir: string;
  readonly logger: PipelineLogger;
  readonly pipelines = new Map<string, Pipeline>();
  readonly routes = new RouteTable();
  readonly #modules: EngineModule[];
  readonly #triggers: EngineTrigger[] = [];
  readonly #openApi: OpenApiDocumentBuilder;
  #started = false;
  #serving = false;
  /** Built by `check`: databases are never opened. */
  #checking = false;
  /** Modules taken over from the previous app: already running. */
  #kept = new Set<EngineModule>();
  /** Kept modules whose config changed: Reconfigurable ones, given it at start. */
  #reconfigure = new Map<EngineModule, ModuleConfig>();

  private constructor(
    readonly config: WorkflowConfig,
    modules: EngineModule[],
    options: AppOptions,
  ) {
    this.configDir = config.dir;
    this.logger = options.logger;
    this.#modules = modules;
    this.#openApi = new OpenApiDocumentBuilder(
      path.basename(config.dir),
      this.routes.targets,
      config.pipelines,
    );
  }

  /**
   * What `wfctl validate` adds to the schema checks: builds every pipeline (templates
   * compiled, step configs checked, routes, crons, triggers' modules) without opening
   * or starting anything. Returns the problems, positioned; none when it would run.
   */
  static async check(config: WorkflowConfig, options: AppOptions): Promise<UserDiagnostic[]> {
    try {
      const modules = createModules(config, undefined, (m) => hasRuntime(m.type));
      const app = new App(config, orderModules(config, modules), options);
      app.#checking = true;
      await loadUserSteps(config, options.steps);
      app.#buildPipelines(options.steps);
      return [];
    } catch (err) {
      if (!WfError.is(err)) throw err;
      const own: UserDiagnostic = { severity: "error", code: err.code, message: err.message };
      return err.diagnostics.length > 0 ? [...err.diagnostics] : [own];
    }
  }

  /** Builds the app; every problem in the config is reported at once, positioned. */
  static async build(config: WorkflowConfig, options: AppOptions): Promise<App> {
    const kept = new Set<EngineModule>();
    const reconfigure = new Map<EngineModule, ModuleConfig>();
    const reuse = (m: ModuleConfig) => {
      const old = options.previous?.keepable(m, config);
      if (old) kept.add(old);
      if (old && options.previous?.changed(m)) reconfigure.set(old, m);
      return old;
    };
    const app = new App(config, orderModules(config, createModules(config, reuse)), options);
    app.#kept = kept;
    app.#reconfigure = reconfigure;
    const inited: EngineModule[] = [];
    try {
      for (const module of app.#modules) {
        if (app.#kept.has(module)) continue;
        await module.init?.(app);
        inited.push(module);
      }
      await loadUserSteps(config, options.steps);
      app.#buildPipelines(options.steps);
    } catch (err) {
      // What init opened (database connections) is closed again.
      for (const module of inited.reverse()) await module.stop?.().catch(() => {});
      throw err;
    }
    app.#openApi.registerAdminSchemas();
    app.#openApi.applySchemas();
    return app;
  }

  module<T extends EngineModule>(name: string, types: readonly string[], neededBy: string): T {
    const found = this.#modules.find((m) => m.name === name);
    if (!found || !types.includes(found.type)) {
      const candidates = this.#modules.filter((m) => types.includes(m.type)).map((m) => m.name);
      throw new Error(
        `${neededBy}: ${found ? `module "${name}" is a ${found.type}, not a ${types.join(" or ")}` : `no module "${name}"`}${candidates.length > 0 ? ` (${types.join("/")} modules: ${candidates.join(", ")})` : ""}`,
      );
    }
    return found as T;
  }

  modules(): readonly EngineModule[] {
    return this.#modules;
  }

  /**
   * The running module a reloaded config may keep: same name, type and config — or
   * only other settings, when it is Reconfigurable (it gets them at start) — and so
   * are the modules it uses (a store on a replaced database is replaced too). An
   * http.server's metrics endpoint and hook are set up when it starts, so a server
   * is kept only while the metrics modules stay the same.
   */
  keepable(
    module: ModuleConfig,
    next: WorkflowConfig,
    seen = new Set<string>(),
  ): EngineModule | undefined {
    const running = this.#modules.find((m) => m.name === module.name && m.type === module.type);
    const before = this.config.modules.find((m) => m.name === module.name);
    if (!running || !before || seen.has(module.name)) return undefined;
    if (!sameConfig(before, module) && !(isReconfigurable(running) && sameUses(before, module)))
      return undefined;
    if (module.type === "http.server" && !sameMetrics(this.config, next)) return undefined;
    seen.add(module.name);
    for (const dep of moduleDependencies(module)) {
      const depNext = next.modules.find((m) => m.name === dep);
      if (depNext && !this.keepable(depNext, next, seen)) return undefined;
    }
    return running;
  }

  /** True when a module kept by the next app must be reconfigured to `module`'s config. */
  changed(module: ModuleConfig): boolean {
    const before = this.config.modules.find((m) => m.name === module.name);
    return before !== undefined && !sameConfig(before, module);
  }

  /** Modules this app took over from the one it replaced. */
  keptModules(): ReadonlySet<EngineModule> {
    return this.#kept;
  }

  /** The first http.server's port, once started (tests and `wfctl run` use it). */
  httpPort(): number | undefined {
    return this.#modulesOf<HttpServerModule>("http.server")[0]?.port;
  }

  /**
   * Starts every module, then the triggers. `serve: false` (a one-off run) starts
   * neither the HTTP servers nor the triggers: nothing listens and nothing fires.
   */
  async start(options: { serve?: boolean } = {}): Promise<void> {
    const serve = options.serve !== false;
    this.#serving = serve;
    const started: EngineModule[] = [];
    try {
      for (const [module, next] of this.#reconfigure) {
        try {
          await (module as EngineModule & Reconfigurable).reconfigure({ ...next.config });
        } catch (err) {
          throw new WfError(
            "WF_ERR_APP_START",
            `module "${module.name}" could not apply its new config: ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
      // A new server routes natively (before it listens); a kept one is listening already.
      for (const server of this.#modulesOf<HttpServerModule>("http.server")) {
        if (serve && !this.#kept.has(server)) server.route(this.routes);
      }
      for (const module of this.#modules) {
        if (this.#kept.has(module) || (!serve && module.type === "http.server")) continue;
        await module.start?.();
        started.push(module);
      }
      // A kept server switches to this app's routes here, in one assignment.
      for (const server of this.#modulesOf<HttpServerModule>("http.server")) {
        server.serve(this.#served());
      }
      if (serve) for (const trigger of this.#triggers) trigger.start();
      this.#started = true;
    } catch (err) {
      for (const module of started.reverse()) await module.stop?.().catch(() => {});
      throw err;
    }
  }

  /** Stops taking work, lets in-flight executions finish, then stops modules in reverse. */
  async stop(): Promise<void> {
    await this.stopTriggers();
    // Servers first: their in-flight requests still need the databases.
    await this.stopModules((m) => m.type === "http.server");
    await this.stopModules((m) => m.type !== "http.server");
  }

  /** Stops the schedule and event triggers, waiting for their running executions. */
  async stopTriggers(): Promise<void> {
    this.#started = false;
    if (this.#serving) await Promise.all(this.#triggers.map((t) => t.stop()));
  }

  /** Stops the started modules `which` selects, in reverse order; failures are logged. */
  async stopModules(which: (module: EngineModule) => boolean): Promise<void> {
    const errors: string[] = [];
    for (const module of [...this.#modules].reverse()) {
      if (!which(module) || (!this.#serving && module.type === "http.server")) continue;
      try {
        await module.stop?.();
      } catch (err) {
        errors.push(`${module.name}: ${(err as Error).message}`);
      }
    }
    if (errors.length > 0) this.logger.error({ errors }, "some modules failed to stop");
  }

  /** Runs pipeline `name` once (`wfctl pipeline run`, `step.workflow_call`). */
  async run(
    name: string,
    data: Readonly<Record<string, unknown>>,
    opts: ExecutionOptions = {},
  ): Promise<Execution> {
    const pipeline = this.pipelines.get(name);
    if (!pipeline) {
      throw new WfError(
        "WF_ERR_CONFIG_REFERENCE",
        `no pipeline "${name}"; the config has ${[...this.pipelines.keys()].join(", ") || "none"}`,
      );
    }
    return pipeline.execute(data, opts);
  }

  async executePipeline(
    name: string,
    data: Record<string, unknown>,
    opts: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    return (await this.run(name, data, { ...opts, triggerType: "call" })).output;
  }

  #modulesOf<T extends EngineModule>(type: string): T[] {
    return this.#modules.filter((m) => m.type === type) as T[];
  }

  #buildPipelines(steps: StepTypeRegistry): void {
    const bus = this.#modulesOf<EventBus & EngineModule>("eventbus.memory")[0];
    const metrics = this.#modulesOf<PrometheusMetrics>("metrics.prometheus")[0];
    const observer = new LifecycleObserver(bus ? new BusEventEmitter(bus) : undefined, metrics);
    const recorder = this.#modules.find((m) => m.type === "execution.store") as
      | (EngineModule & EventRecorder)
      | undefined;
    const ctx: BuildContext = {
      config: this.config,
      registry: steps,
      services: {
        database: (name) => this.#database(name),
        tenantRegistry: (name) => {
          const module = this.module<TenantRegistryModule>(
            name,
            [TENANT_REGISTRY_TYPE],
            `tenants.registry "${name}"`,
          );
          return () => module.registry();
        },
        eventBus: () => bus,
        callPipeline: async (name, data, opts) => {
          const { output, context } = await this.run(name, data, { ...opts, triggerType: "call" });
          return { output, current: context.current, steps: context.stepOutputs };
        },
        logger: this.logger,
      },
    };
    const diagnostics: UserDiagnostic[] = [];
    for (const pipelineConfig of Object.values(this.config.pipelines)) {
      try {
        const pipeline = new Pipeline(buildPipelineDefinition(pipelineConfig, ctx), observer);
        pipeline.setLogger(this.logger);
        if (recorder) pipeline.setEventRecorder(recorder);
        this.pipelines.set(pipeline.name, pipeline);
        this.#attachTrigger(pipeline, ctx, bus);
      } catch (err) {
        if (!WfError.is(err)) throw err;
        const own: UserDiagnostic = { severity: "error", code: err.code, message: err.message };
        diagnostics.push(...(err.diagnostics.length > 0 ? err.diagnostics : [own]));
      }
    }
    if (diagnostics.length > 0) {
      throw new WfError(
        "WF_ERR_CONFIG_SCHEMA",
        `the config cannot run: ${diagnostics.length} error(s)`,
        { diagnostics },
      );
    }
  }

  #attachTrigger(pipeline: Pipeline, ctx: BuildContext, bus: EventBus | undefined): void {
    const trigger = this.config.pipelines[pipeline.name]?.trigger;
    if (!trigger) return;
    const at = ["pipelines", pipeline.name, "trigger"];
    const config = trigger.config as unknown;
    switch (trigger.type) {
      case "http": {
        if (this.#modulesOf("http.server").length === 0) {
          throw loadError(
            ctx,
            at,
            `pipeline "${pipeline.name}" has an http trigger, but no module is an http.server; add one`,
          );
        }
        try {
          this.routes.add(httpRoute(pipeline, config as HttpTriggerConfig, this.logger));
        } catch (err) {
          throw loadError(
            ctx,
            [...at, "config", "path"],
            `pipeline "${pipeline.name}": ${(err as Error).message}`,
          );
        }
        return;
      }
      case "schedule":
        try {
          this.#triggers.push(
            new ScheduleTrigger(pipeline, config as ScheduleTriggerConfig, this.logger),
          );
        } catch (err) {
          throw loadError(
            ctx,
            [...at, "config", "cron"],
            `pipeline "${pipeline.name}": ${(err as Error).message}`,
          );
        }
        return;
      case "event":
        if (!bus) {
          throw loadError(
            ctx,
            at,
            `pipeline "${pipeline.name}" has an event trigger, but no module is an eventbus.memory; add one`,
          );
        }
        this.#triggers.push(
          new EventTrigger(pipeline, config as EventTriggerConfig, bus, this.logger),
        );
        return;
      default:
        throw loadError(
          ctx,
          [...at, "type"],
          `pipeline "${pipeline.name}": trigger type "${trigger.type}" has no runtime`,
        );
    }
  }

  #database(name: string): SqlDatabase {
    const module = this.module<EngineModule>(name, DATABASE_TYPES, `database "${name}"`);
    if (!isDatabaseModule(module)) throw new Error(`module "${name}" is not a database`);
    return this.#checking ? unopenedDatabase(module) : module.database();
  }

  #served() {
    const metrics = this.#modulesOf<PrometheusMetrics>("metrics.prometheus")[0];
    const tenancy = this.#modulesOf<TenantResolverModule>(TENANT_RESOLVER_TYPE)[0];
    return {
      routes: () => this.routes,
      started: () => this.#started,
      health: () => this.#health(),
      openApi: () => this.#openApi.document(),
      metrics: () => metrics,
      tenancy: () => tenancy,
    };
  }

  async #health(): Promise<Record<string, HealthStatus>> {
    const checks: Record<string, HealthStatus> = {};
    for (const module of this.#modules) {
      if (!module.health) continue;
      try {
        checks[module.name] = await module.health();
      } catch (err) {
        checks[module.name] = { status: "unhealthy", detail: (err as Error).message };
      }
    }
    return checks;
  }
}

function sameMetrics(a: WorkflowConfig, b: WorkflowConfig): boolean {
  const metrics = (config: WorkflowConfig) =>
    config.modules.filter((m) => m.type === "metrics.prometheus");
  const before = metrics(a);
  const after = metrics(b);
  return (
    before.length === after.length &&
    before.every((m, i) => m.name === after[i]?.name && sameConfig(m, after[i]))
  );
}

/** The same modules used (dependsOn and a `database`), so only settings differ. */
function sameUses(a: ModuleConfig, b: ModuleConfig): boolean {
  return a.type === b.type && isDeepStrictEqual(moduleDependencies(a), moduleDependencies(b));
}

function sameConfig(a: ModuleConfig, b: ModuleConfig): boolean {
  return (
    a.type === b.type &&
    isDeepStrictEqual(a.config, b.config) &&
    isDeepStrictEqual(a.dependsOn, b.dependsOn)
  );
}

/** A database as `check` shows it to step factories: its name and dialect, nothing to run. */
function unopenedDatabase(module: EngineModule): SqlDatabase {
  const refuse = () =>
    Promise.reject(new Error(`database "${module.name}" is not open: the app was only checked`));
  return {
    dialect: module.type === "database.postgres" ? "postgres" : "sqlite",
    name: module.name,
    query: refuse,
    execute: refuse,
    transaction: refuse,
    migrationDatabase: refuse,
    close: async () => {},
  };
}
