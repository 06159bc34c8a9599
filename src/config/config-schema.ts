import { PIPELINE_ON_ERROR, STEP_ON_ERROR } from "./config-types.js";
import { duration } from "./schema-fragments.js";
import type {
  ConfigTypeDefinition,
  ConfigTypeRegistry,
  JsonSchema,
  TypeKind,
} from "./type-registry.js";

const KIND_PLURAL: Record<TypeKind, string> = {
  module: "modules",
  step: "steps",
  trigger: "triggers",
};

/**
 * The JSON Schema (draft-07) of a whole config file for the types and sections in
 * `registry`. The loader validates with it and `wfctl schema` publishes it, so editors
 * (yaml-language-server) complete type names with their descriptions and each
 * module's, step's and trigger's `config` through an if/then on its `type`.
 */
export function buildConfigSchema(registry: ConfigTypeRegistry): JsonSchema {
  return fileSchema(registry, true);
}

/**
 * The same schema without the per-type `config` rules: the loader compiles this plus,
 * lazily, the config schema of each type a config uses (see `configRulePath`), since
 * compiling every registered type costs more than loading a large config.
 */
export function buildCoreSchema(registry: ConfigTypeRegistry): JsonSchema {
  return fileSchema(registry, false);
}

/** Where the config rule of `def` sits in the full schema, so split validation reports the same schema paths. */
export function configRulePath(
  registry: ConfigTypeRegistry,
  kind: TypeKind,
  def: ConfigTypeDefinition,
): string {
  return `#/definitions/${kind}/allOf/${registry.list(kind).indexOf(def)}/then`;
}

function fileSchema(registry: ConfigTypeRegistry, typeRules: boolean): JsonSchema {
  const sections: Record<string, unknown> = {};
  for (const section of registry.sections()) {
    sections[section.key] = embed(
      { description: section.description, ...section.schema },
      `section/${section.key}.json`,
    );
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "wfctl config",
    description: "A wfctl config: app modules, pipelines and infrastructure in one file.",
    type: "object",
    additionalProperties: false,
    properties: {
      imports: {
        type: "array",
        description:
          "Config files merged into this one, relative to it; this file wins on conflicts.",
        items: { type: "string", minLength: 1 },
      },
      modules: {
        type: "array",
        description: "Modules: app components and infrastructure resources.",
        items: { $ref: "#/definitions/module" },
      },
      pipelines: {
        type: "object",
        description: "Pipelines by name.",
        additionalProperties: { $ref: "#/definitions/pipeline" },
      },
      environments: {
        type: "object",
        description: "Environments selectable with --env, with their defaults.",
        additionalProperties: { $ref: "#/definitions/environment" },
      },
      ...sections,
    },
    definitions: {
      module: moduleSchema(registry, typeRules),
      pipeline: pipelineSchema(),
      step: stepSchema(registry, typeRules),
      trigger: triggerSchema(registry, typeRules),
      environment: environmentSchema(),
    },
  };
}

function moduleSchema(registry: ConfigTypeRegistry, typeRules: boolean): JsonSchema {
  return {
    type: "object",
    description: "A module: `name` is unique, `type` selects what `config` may hold.",
    required: ["name", "type"],
    additionalProperties: false,
    properties: {
      name: { type: "string", minLength: 1, description: "Unique module name." },
      type: typeProperty(registry, "module"),
      config: { type: "object", description: "Settings for this module type." },
      dependsOn: {
        type: "array",
        description: "Modules that must start before this one.",
        items: { type: "string", minLength: 1 },
      },
      protected: { type: "boolean", description: "Refuse to destroy or replace this resource." },
      environments: {
        type: "object",
        description: "Per-environment overrides: null disables the module in that environment.",
        additionalProperties: {
          type: ["object", "null"],
          additionalProperties: false,
          properties: {
            config: { type: "object", description: "Deep-merged over the module's config." },
            protected: { type: "boolean" },
            provider: { type: "string", description: "Sets config.provider in this environment." },
          },
        },
      },
    },
    ...(typeRules ? allOf(configByType(registry, "module")) : {}),
  };
}

function pipelineSchema(): JsonSchema {
  return {
    type: "object",
    description: "A pipeline: a trigger and the steps it runs.",
    additionalProperties: false,
    properties: {
      trigger: { $ref: "#/definitions/trigger" },
      steps: { type: "array", items: { $ref: "#/definitions/step" } },
      compensation: {
        type: "array",
        description: "Run in reverse order when a step fails and on_error is compensate.",
        items: { $ref: "#/definitions/step" },
      },
      timeout: duration({ description: "Limit for the whole pipeline run, e.g. 5s or 1m30s." }),
      on_error: {
        enum: [...PIPELINE_ON_ERROR],
        default: "stop",
        description: "When a step fails: stop, skip the step, or run the compensation steps.",
      },
      strict_templates: {
        type: "boolean",
        default: false,
        description: "A missing key in a template is an error rather than empty.",
      },
    },
  };
}

function stepSchema(registry: ConfigTypeRegistry, typeRules: boolean): JsonSchema {
  return {
    type: "object",
    required: ["name", "type"],
    additionalProperties: false,
    properties: {
      name: {
        type: "string",
        minLength: 1,
        description: "Unique within the pipeline; output goes to steps.NAME.",
      },
      type: typeProperty(registry, "step"),
      config: { type: "object" },
      if: { type: "string", description: "Template; the step runs only when it is true." },
      skip_if: { type: "string", description: "Template; the step is skipped when it is true." },
      on_error: {
        enum: [...STEP_ON_ERROR],
        description: "When this step fails: stop the pipeline, or continue with the next step.",
      },
      timeout: duration({ description: "Limit for this step, e.g. 500ms or 2s." }),
      error_status: {
        type: "integer",
        minimum: 400,
        maximum: 599,
        description: "Report this step's failure as a validation error with this HTTP status.",
      },
    },
    ...(typeRules ? allOf(configByType(registry, "step")) : {}),
  };
}

function triggerSchema(registry: ConfigTypeRegistry, typeRules: boolean): JsonSchema {
  return {
    type: "object",
    required: ["type"],
    additionalProperties: false,
    properties: { type: typeProperty(registry, "trigger"), config: { type: "object" } },
    ...(typeRules ? allOf(configByType(registry, "trigger")) : {}),
  };
}

function environmentSchema(): JsonSchema {
  return {
    type: ["object", "null"],
    additionalProperties: false,
    properties: {
      vars: {
        type: "object",
        description: "Defaults for ${VAR} when the process environment lacks VAR.",
        additionalProperties: { type: ["string", "number", "boolean"] },
      },
      region: { type: "string", description: "Default config.region of infra.* modules." },
      provider: { type: "string", description: "Default config.provider of infra.* modules." },
    },
  };
}

/** `type`: a string, completed by editors from the registered names and patterns. */
function typeProperty(registry: ConfigTypeRegistry, kind: TypeKind): JsonSchema {
  const options = registry.list(kind).map((def) =>
    isPattern(def)
      ? {
          pattern: `^${escapeRegExp(prefixOf(def))}.`,
          description: `${def.type}: ${def.description}`,
        }
      : { const: def.type, description: def.description },
  );
  return {
    type: "string",
    description: `The ${kind} type.`,
    ...(options.length > 0 ? { anyOf: options } : {}),
  };
}

/** One if/then per registered type; a pattern's `if` excludes types a more specific definition takes. */
function configByType(registry: ConfigTypeRegistry, kind: TypeKind): JsonSchema[] {
  const defs = registry.list(kind);
  return defs.map((def) => {
    let typeTest: JsonSchema = { const: def.type };
    if (isPattern(def)) {
      const prefix = prefixOf(def);
      const specific = defs.filter((other) => other !== def && other.type.startsWith(prefix));
      const exact = specific.filter((other) => !isPattern(other)).map((other) => other.type);
      const longer = specific
        .filter(isPattern)
        .map((other) => ({ pattern: `^${escapeRegExp(prefixOf(other))}.` }));
      const excluded = [...(exact.length ? [{ enum: exact }] : []), ...longer];
      typeTest = {
        type: "string",
        pattern: `^${escapeRegExp(prefix)}.`,
        ...(excluded.length ? { not: { anyOf: excluded } } : {}),
      };
    }
    const config = embed(def.configSchema, `${kind}/${def.type.replace("*", "_")}.json`);
    const required = needsConfigBlock(def);
    return {
      if: { properties: { type: typeTest }, required: ["type"] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword; never awaited.
      then: {
        ...(required ? { required: ["config"] } : {}),
        properties: { config },
      },
      $comment: `${KIND_PLURAL[kind]} of type ${def.type}`,
    };
  });
}

/** A type whose config schema requires keys requires the `config:` block itself. */
export function needsConfigBlock(def: ConfigTypeDefinition): boolean {
  const required = def.configSchema.required;
  return Array.isArray(required) && required.length > 0;
}

/** `allOf` must not be empty. */
function allOf(rules: readonly JsonSchema[]): { allOf?: readonly JsonSchema[] } {
  return rules.length > 0 ? { allOf: rules } : {};
}

function isPattern(def: ConfigTypeDefinition): boolean {
  return def.type.endsWith(".*");
}

/** `infra.*` → `infra.` */
function prefixOf(def: ConfigTypeDefinition): string {
  return def.type.slice(0, -1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A registered schema is written as a document of its own: its `#/definitions/…`
 * references mean its own root. Giving it an `$id` keeps them pointing there once
 * it is nested in the file schema.
 */
function embed(schema: JsonSchema, id: string): JsonSchema {
  if (schema.$id !== undefined || !hasLocalRef(schema)) return schema;
  return { $id: id, ...schema };
}

function hasLocalRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasLocalRef);
  if (typeof value !== "object" || value === null) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (key === "$ref" && typeof inner === "string" && inner.startsWith("#")) return true;
    if (hasLocalRef(inner)) return true;
  }
  return false;
}
