import type { ModuleConfig } from "../../config/index.js";
import type { PipelineLogger } from "../../contracts/index.js";

/** A health check's answer: `/healthz` is the worst of them. */
export interface HealthStatus {
  readonly status: "healthy" | "degraded" | "unhealthy";
  readonly detail?: string;
}

/**
 * A running part of the app. The engine inits modules in dependency order (each may
 * look up the modules it needs), starts them in that order, and stops them in
 * reverse; a module that fails to start stops those already started.
 */
export interface EngineModule {
  readonly name: string;
  readonly type: string;
  init?(app: ModuleHost): Promise<void> | void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  health?(): Promise<HealthStatus> | HealthStatus;
}

/** What a module sees of the app while it is built and run. */
export interface ModuleHost {
  /** The config file's folder: relative paths in module config resolve here. */
  readonly configDir: string;
  readonly logger: PipelineLogger;
  /** The module of that name; a clear error when it is missing or not of `types`. */
  module<T extends EngineModule>(name: string, types: readonly string[], neededBy: string): T;
  /** Every module, in start order. */
  modules(): readonly EngineModule[];
}

/** Problems with a module's config found when it is created, by path inside its `config`. */
export class ModuleConfigError extends Error {
  constructor(
    readonly problems: readonly { path: readonly (string | number)[]; message: string }[],
  ) {
    super(problems.map((p) => p.message).join("; "));
    this.name = "ModuleConfigError";
  }
}

/** Creates a module from its (validated) config entry. */
export type ModuleFactory = (config: ModuleConfig) => EngineModule;
