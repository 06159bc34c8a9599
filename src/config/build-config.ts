import type {
  ConfigPath,
  EnvironmentConfig,
  ModuleConfig,
  PipelineConfig,
  PipelineOnError,
  StepConfig,
  StepOnError,
  TriggerConfig,
  WorkflowConfig,
} from "./config-types.js";
import { type MapNode, nodeAt, setOwn } from "./source-tree.js";

export interface BuildContext {
  readonly file: string;
  readonly dir: string;
  readonly files: readonly string[];
  readonly env?: string;
  readonly sectionKeys: readonly string[];
  readonly envVarsRead: ReadonlySet<string>;
}

/**
 * The typed, deeply frozen config out of a validated effective tree (`data` is its
 * plain form, as validated). Only called when validation found no errors, so shapes
 * hold; defaults are filled in here.
 */
export function buildConfig(root: MapNode, data: unknown, context: BuildContext): WorkflowConfig {
  const plain = (data ?? {}) as Record<string, unknown>;
  const sections: Record<string, unknown> = {};
  for (const key of context.sectionKeys) if (key in plain) setOwn(sections, key, plain[key]);
  const config: WorkflowConfig = {
    file: context.file,
    dir: context.dir,
    files: [...context.files],
    ...(context.env !== undefined ? { env: context.env } : {}),
    modules: list(plain.modules).map(toModule),
    pipelines: mapValues(plain.pipelines, toPipeline),
    environments: mapValues(plain.environments, toEnvironment),
    sections,
    envVarsRead: [...context.envVarsRead].sort(),
    locate: (path: ConfigPath) => nodeAt(root, path)?.pos,
  };
  return deepFreeze(config);
}

type Plain = Record<string, unknown>;

function toModule(value: unknown): ModuleConfig {
  const m = value as Plain;
  return {
    name: m.name as string,
    type: m.type as string,
    config: (m.config as Plain | undefined) ?? {},
    dependsOn: list(m.dependsOn) as string[],
    protected: m.protected === true,
  };
}

function toPipeline(value: unknown, name: string): PipelineConfig {
  const p = (value ?? {}) as Plain;
  const trigger = p.trigger as Plain | undefined;
  return {
    name,
    ...(trigger ? { trigger: toTrigger(trigger) } : {}),
    steps: list(p.steps).map(toStep),
    compensation: list(p.compensation).map(toStep),
    ...(typeof p.timeout === "string" ? { timeout: p.timeout } : {}),
    on_error: (p.on_error as PipelineOnError | undefined) ?? "stop",
    strict_templates: p.strict_templates === true,
  };
}

function toTrigger(t: Plain): TriggerConfig {
  return { type: t.type as string, config: (t.config as Plain | undefined) ?? {} };
}

function toStep(value: unknown): StepConfig {
  const s = value as Plain;
  return {
    name: s.name as string,
    type: s.type as string,
    config: (s.config as Plain | undefined) ?? {},
    ...(typeof s.if === "string" ? { if: s.if } : {}),
    ...(typeof s.skip_if === "string" ? { skip_if: s.skip_if } : {}),
    ...(typeof s.on_error === "string" ? { on_error: s.on_error as StepOnError } : {}),
    ...(typeof s.timeout === "string" ? { timeout: s.timeout } : {}),
    ...(typeof s.error_status === "number" ? { error_status: s.error_status } : {}),
  };
}

function toEnvironment(value: unknown): EnvironmentConfig {
  const e = (value ?? {}) as Plain;
  const vars = e.vars as Plain | undefined;
  const text: Record<string, string> = {};
  if (vars) for (const [key, v] of Object.entries(vars)) setOwn(text, key, String(v));
  return {
    ...(vars ? { vars: text } : {}),
    ...(typeof e.region === "string" ? { region: e.region } : {}),
    ...(typeof e.provider === "string" ? { provider: e.provider } : {}),
  };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function mapValues<T>(value: unknown, convert: (v: unknown, key: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  if (typeof value !== "object" || value === null) return out;
  for (const [key, v] of Object.entries(value)) setOwn(out, key, convert(v, key));
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
