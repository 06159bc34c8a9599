import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { isRecord } from "../is-record.js";
import {
  buildConfigSchema,
  buildCoreSchema,
  configRulePath,
  needsConfigBlock,
} from "./config-schema.js";
import type {
  ConfigTypeDefinition,
  ConfigTypeRegistry,
  JsonSchema,
  TypeKind,
} from "./type-registry.js";

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose
// `default` property is the plugin (and at run time `module.exports` is the plugin too).
const addFormats = addFormatsModule.default;

export interface SchemaCheck {
  /** Every ajv error, unfiltered, with instance and schema paths as for the full file schema. */
  readonly errors: readonly ErrorObject[];
  /** The full file schema (`buildConfigSchema`) the schema paths point into. */
  readonly schema: JsonSchema;
}

/**
 * Validate plain config data as `buildConfigSchema(registry)` would, but compiled in
 * parts: the core shape once per registry, and each type's config schema the first
 * time a config uses that type. Compiling every registered type up front costs more
 * than loading a large config, and every CLI run would pay it.
 */
export function validateConfigData(registry: ConfigTypeRegistry, data: unknown): SchemaCheck {
  const compiled = compiledFor(registry);
  const errors: ErrorObject[] = [];
  if (!compiled.core(data)) errors.push(...(compiled.core.errors ?? []));
  for (const item of typedItems(data)) {
    const def = registry.lookup(item.kind, item.type);
    if (!def) continue;
    const rule = configRulePath(registry, item.kind, def);
    if (item.config === undefined) {
      if (needsConfigBlock(def)) errors.push(missingConfig(item, rule));
      continue;
    }
    // A config that is not a mapping is reported by the core schema.
    if (!isRecord(item.config)) continue;
    const validate = compiled.configValidator(def);
    if (validate(item.config)) continue;
    for (const error of validate.errors ?? []) {
      errors.push({
        ...error,
        instancePath: `${item.pointer}/config${error.instancePath}`,
        schemaPath: `${rule}/properties/config${error.schemaPath.slice(1)}`,
      });
    }
  }
  return { errors, schema: compiled.schema };
}

interface Compiled {
  readonly signature: string;
  readonly schema: JsonSchema;
  readonly core: ValidateFunction;
  configValidator(def: ConfigTypeDefinition): ValidateFunction;
}

/** Per registry; rebuilt only if types were registered since. */
const compiled = new WeakMap<ConfigTypeRegistry, Compiled>();

function compiledFor(registry: ConfigTypeRegistry): Compiled {
  // Registration is append-only (a duplicate throws), so the counts identify the contents.
  const signature = (["module", "step", "trigger"] as const)
    .map((kind) => registry.list(kind).length)
    .concat(registry.sections().length)
    .join("/");
  const cached = compiled.get(registry);
  if (cached?.signature === signature) return cached;
  // Code optimisation doubles compile time, which every CLI run pays, for no
  // measurable gain in validation speed at config sizes.
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { optimize: false } });
  addFormats(ajv);
  const validators = new Map<ConfigTypeDefinition, ValidateFunction>();
  const entry: Compiled = {
    signature,
    schema: buildConfigSchema(registry),
    core: ajv.compile(buildCoreSchema(registry)),
    configValidator(def) {
      let validate = validators.get(def);
      if (!validate) {
        validate = ajv.compile(def.configSchema);
        validators.set(def, validate);
      }
      return validate;
    },
  };
  compiled.set(registry, entry);
  return entry;
}

interface TypedItem {
  readonly kind: TypeKind;
  readonly type: string;
  /** JSON Pointer of the module, step or trigger. */
  readonly pointer: string;
  readonly data: Record<string, unknown>;
  readonly config: unknown;
}

/** Every module, step and trigger with a string `type`. */
function* typedItems(data: unknown): Generator<TypedItem> {
  if (!isRecord(data)) return;
  const item = (kind: TypeKind, value: unknown, pointer: string): TypedItem[] =>
    isRecord(value) && typeof value.type === "string"
      ? [{ kind, type: value.type, pointer, data: value, config: value.config }]
      : [];
  if (Array.isArray(data.modules)) {
    for (const [i, module] of data.modules.entries())
      yield* item("module", module, `/modules/${i}`);
  }
  if (!isRecord(data.pipelines)) return;
  for (const [name, pipeline] of Object.entries(data.pipelines)) {
    if (!isRecord(pipeline)) continue;
    const base = `/pipelines/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    yield* item("trigger", pipeline.trigger, `${base}/trigger`);
    for (const list of ["steps", "compensation"] as const) {
      const steps = pipeline[list];
      if (!Array.isArray(steps)) continue;
      for (const [i, step] of steps.entries()) yield* item("step", step, `${base}/${list}/${i}`);
    }
  }
}

/** The error the full schema's `then: {required: ["config"]}` gives. */
function missingConfig(item: TypedItem, rule: string): ErrorObject {
  return {
    keyword: "required",
    instancePath: item.pointer,
    schemaPath: `${rule}/required`,
    params: { missingProperty: "config" },
    message: "must have required property 'config'",
    data: item.data,
  };
}
