/**
 * Small JSON Schema (draft-07) building blocks shared by every subsystem's config type
 * registrations, so that templated values, `${VAR}` expansions, durations, ports,
 * dependencies and tagged unions mean the same thing in every schema. Each helper
 * returns a fresh, self-contained object (no `$id`, no `$ref`), so the loader can embed
 * registrations anywhere in its whole-file schema and `wfctl schema` can publish them.
 */
import type { JsonSchema } from "./type-registry.js";

/** A schema under construction; always carries a `description` (editors show it). */
export type Described = { readonly description: string } & Record<string, unknown>;

/** A string holding a `{{ }}` template (pipeline step config; resolved per run). */
export const TEMPLATE_PATTERN = "\\{\\{";

/** A string holding a `${VAR}` expansion or a `${module.field}` output reference. */
const EXPANSION = "[\\s\\S]*\\$\\{[\\s\\S]*";

const DURATION_UNITS = "(?:[0-9]+(?:ms|s|m|h))+";
const DURATION_UNITS_WITH_DAYS = "(?:[0-9]+(?:ms|s|m|h|d))+";

/** Go-style duration: one or more number+unit pairs, e.g. `500ms`, `5s`, `1m30s`, `2h`. */
export const DURATION_PATTERN = `^${DURATION_UNITS}$`;

/** Size tiers every provider resolves through ResolveSizing. */
export const SIZE_TIERS = ["xs", "s", "m", "l", "xl"] as const;

/** HTTP methods accepted by triggers and `step.http_call` (upper case, as on the wire). */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

type ScalarType = "integer" | "number" | "boolean";
type TemplatableType = ScalarType | "object" | "array";

/**
 * A step-config value of `type` that may instead be a `{{ }}` template string resolved
 * at run time (`status: "{{ .steps.check.code }}"`). Literal values keep their
 * constraints (`minimum`, …); a string must contain a template.
 */
export function templated(type: TemplatableType, schema: Described): JsonSchema {
  return { ...schema, type: [type, "string"], pattern: TEMPLATE_PATTERN };
}

const LITERAL_FOR: Record<ScalarType, string> = {
  integer: "-?[0-9]+",
  number: "-?[0-9]+(?:\\.[0-9]+)?",
  boolean: "true|false",
};

/**
 * A module-config value of `type` that may instead be a string: a `${VAR}` expansion
 * (before expansion) or its expanded text (`"8080"`, `"true"`), or an apply-time
 * `${module.field}` reference. Literal values keep their constraints.
 */
export function expandable(type: ScalarType, schema: Described): JsonSchema {
  return {
    ...schema,
    type: [type, "string"],
    pattern: `^(?:${LITERAL_FOR[type]}|${EXPANSION})$`,
  };
}

/**
 * A module-config string matching `literal` (an unanchored regex), or a `${…}` string
 * (an expansion before it is expanded, or an apply-time `${module.field}` reference).
 */
export function expandableString(schema: Described, literal: string): JsonSchema {
  return { ...schema, type: "string", pattern: `^(?:${literal}|${EXPANSION})$` };
}

export interface DurationOptions {
  /** `template`: a `{{ }}` string is also accepted (step config); `expansion`: a `${…}` string (module config). */
  readonly allow?: "template" | "expansion";
  /** Also accept a `d` (day) unit, e.g. `7d` for retention periods. */
  readonly days?: boolean;
}

/** A duration string such as `5s`, `1m30s` or `250ms` (units ms, s, m, h; `d` with `days`). */
export function duration(schema: Described, options: DurationOptions = {}): JsonSchema {
  const alternatives = [options.days ? DURATION_UNITS_WITH_DAYS : DURATION_UNITS];
  if (options.allow === "template") alternatives.push(`[\\s\\S]*${TEMPLATE_PATTERN}[\\s\\S]*`);
  if (options.allow === "expansion") alternatives.push(EXPANSION);
  return { ...schema, type: "string", pattern: `^(?:${alternatives.join("|")})$` };
}

/** A TCP port 1–65535; in module config (`expandable`) also a `${…}` string. */
export function port(schema: Described, options: { expandable?: boolean } = {}): JsonSchema {
  const bounded = { ...schema, minimum: 1, maximum: 65535 };
  return options.expandable ? expandable("integer", bounded) : { ...bounded, type: "integer" };
}

/** A non-empty string. */
export function text(schema: Described): JsonSchema {
  return { ...schema, type: "string", minLength: 1 };
}

/** The name of another module in the same config (e.g. a `database.*` module). */
export function moduleRef(description: string): JsonSchema {
  return { description, type: "string", minLength: 1 };
}

/** A URL path starting with `/`. */
export function urlPath(schema: Described): JsonSchema {
  return { ...schema, type: "string", pattern: "^/" };
}

/** A list of non-empty strings, each at most once. */
export function stringList(schema: Described): JsonSchema {
  return { ...schema, type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true };
}

/** An object whose values are all strings (headers, environment variables, …). */
export function stringMap(schema: Described): JsonSchema {
  return { ...schema, type: "object", additionalProperties: { type: "string" } };
}

/** `depends_on` of an infrastructure resource: names of resources created first. */
export function dependsOn(): JsonSchema {
  return stringList({
    description:
      "Names of resources (modules or their `config.name`) that must be created before this one and destroyed after it.",
  });
}

/**
 * `tags` of an infrastructure resource, as names or a name → value map (the same
 * shape as the canonical container-service schema in src/contracts).
 */
export function tags(): JsonSchema {
  return {
    description:
      "Tags attached to the resource, as a list of names or a name → value map; `wfctl infra cleanup --tag NAME` lists and deletes resources by tag.",
    anyOf: [
      { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true },
      { type: "object", additionalProperties: { type: "string" } },
    ],
  };
}

/** `size` of an infrastructure resource: a tier, or a provider-specific slug. */
export function sizeTier(): JsonSchema {
  return {
    description:
      "Size tier xs|s|m|l|xl, resolved to CPU/memory/storage by the provider's ResolveSizing; a provider may also accept its own size slug.",
    type: "string",
    minLength: 1,
    examples: [...SIZE_TIERS],
  };
}

/** A closed object: only the listed properties are allowed, so typos are reported. */
export function closedObject(
  description: string,
  properties: Record<string, JsonSchema>,
  extra: Record<string, unknown> = {},
): JsonSchema {
  return { description, type: "object", properties, additionalProperties: false, ...extra };
}

/**
 * A subschema matching objects that have every one of `keys`. The keys are also
 * listed under `properties` so the schema passes ajv's `strictRequired` mode.
 */
export function present(...keys: string[]): JsonSchema {
  return { properties: Object.fromEntries(keys.map((key) => [key, true])), required: keys };
}

/** A subschema matching objects that have none of `keys` (an error points at each key given). */
export function absent(...keys: string[]): JsonSchema {
  return { properties: Object.fromEntries(keys.map((key) => [key, false])) };
}

/** JSON Schema's conditional: `condition` true → `then` must hold, else `otherwise` (if given). */
export function when(condition: JsonSchema, then: JsonSchema, otherwise?: JsonSchema): JsonSchema {
  return {
    if: condition,
    then,
    ...(otherwise ? { else: otherwise } : {}),
  };
}

/**
 * A rule for an object's `allOf`: when `key` is present, none of `others` may be
 * (aliases, or alternative ways to say one thing). The error points at the extra key.
 */
export function excludes(key: string, ...others: string[]): JsonSchema {
  return when(present(key), absent(...others));
}

/** A rule for an object's `allOf`: at least one of `keys` must be present. */
export function requiresOneOf(...keys: string[]): JsonSchema {
  return { anyOf: keys.map((key) => present(key)) };
}

export interface Variant {
  readonly description: string;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
}

/**
 * A closed object discriminated by `tag` (e.g. a selector's `type`): each variant
 * lists its own keys, and errors name the one variant that applies instead of every
 * alternative (as `oneOf` would).
 */
export function taggedUnion(
  description: string,
  tag: string,
  variants: Record<string, Variant>,
): JsonSchema {
  const entries = Object.entries(variants);
  const summary = entries.map(([name, variant]) => `\`${name}\`: ${variant.description}`);
  return {
    description,
    type: "object",
    required: [tag],
    properties: {
      [tag]: { description: `One of — ${summary.join("; ")}`, enum: entries.map(([n]) => n) },
    },
    allOf: entries.map(([name, variant]) =>
      when(
        { properties: { [tag]: { const: name } }, required: [tag] },
        {
          properties: { [tag]: true, ...variant.properties },
          additionalProperties: false,
          ...(variant.required?.length ? { required: [...variant.required] } : {}),
        },
      ),
    ),
  };
}
