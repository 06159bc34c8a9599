import type { SourcePosition, UserDiagnostic } from "../diagnostics/index.js";
import type { ConfigTypeRegistry } from "./type-registry.js";

/** A place in the effective config: keys for mappings, indexes for lists. */
export type ConfigPath = readonly (string | number)[];

export const PIPELINE_ON_ERROR = ["stop", "skip", "compensate"] as const;
export type PipelineOnError = (typeof PIPELINE_ON_ERROR)[number];

export const STEP_ON_ERROR = ["stop", "continue"] as const;
export type StepOnError = (typeof STEP_ON_ERROR)[number];

export interface ModuleConfig {
  readonly name: string;
  readonly type: string;
  /** Environment overrides applied, `${VAR}` expanded; `{}` when the file has none. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly dependsOn: readonly string[];
  readonly protected: boolean;
}

export interface TriggerConfig {
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface StepConfig {
  readonly name: string;
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly if?: string;
  readonly skip_if?: string;
  readonly on_error?: StepOnError;
  readonly timeout?: string;
  readonly error_status?: number;
}

export interface PipelineConfig {
  readonly name: string;
  readonly trigger?: TriggerConfig;
  readonly steps: readonly StepConfig[];
  readonly compensation: readonly StepConfig[];
  readonly timeout?: string;
  readonly on_error: PipelineOnError;
  readonly strict_templates: boolean;
}

export interface EnvironmentConfig {
  /** Defaults for `${VAR}` (numbers and booleans as their text). */
  readonly vars?: Readonly<Record<string, string>>;
  readonly region?: string;
  readonly provider?: string;
}

/** A loaded, validated config: deeply frozen, every value traceable to its file position. */
export interface WorkflowConfig {
  /** Absolute path of the top-level file. */
  readonly file: string;
  /** Its folder: relative paths in the config resolve against it. */
  readonly dir: string;
  /** Absolute paths of every file read (the top-level file first), for --watch. */
  readonly files: readonly string[];
  /** The environment selected with --env, if any. */
  readonly env?: string;
  readonly modules: readonly ModuleConfig[];
  readonly pipelines: Readonly<Record<string, PipelineConfig>>;
  readonly environments: Readonly<Record<string, EnvironmentConfig>>;
  /** Registered top-level sections present in the config (e.g. `build`), as validated. */
  readonly sections: Readonly<Record<string, unknown>>;
  /** Sorted names of the `${VAR}` variables consulted, for the IaC input snapshot. */
  readonly envVarsRead: readonly string[];
  /**
   * Where a value of this config was written, e.g. `locate(["modules", 2, "config",
   * "port"])`; an overridden value points at its override. Files are named as in
   * diagnostics (relative to the working directory when inside it).
   */
  locate(path: ConfigPath): SourcePosition | undefined;
}

export interface LoadOptions {
  readonly registry: ConfigTypeRegistry;
  /** `--env ENV`: apply that environment's overrides and defaults. */
  readonly env?: string;
  /** Where `${VAR}` values come from; defaults to `process.env`. */
  readonly environ?: Readonly<Record<string, string | undefined>>;
  /** Resolves a relative `file` and shortens file names in messages; defaults to `process.cwd()`. */
  readonly cwd?: string;
}

export interface LoadResult {
  /** Present exactly when there are no error diagnostics. */
  readonly config?: WorkflowConfig;
  /** Errors first, then warnings, each sorted by file, line and column. */
  readonly diagnostics: readonly UserDiagnostic[];
}
