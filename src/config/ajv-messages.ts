import type { ErrorObject } from "ajv";
import type { UserDiagnostic } from "../diagnostics/index.js";
import { collapseErrors, type Finding } from "./collapse-errors.js";
import { type Anchor, diagnosticAt, quote } from "./config-diagnostic.js";
import { describePlace, pointerToPath } from "./config-paths.js";
import { DURATION_EXAMPLES } from "./duration.js";
import { formatPath, nodeAt, type PathSegment, type SourceNode } from "./source-tree.js";
import { didYouMean } from "./suggest.js";
import { describeValue, orList, typeName } from "./value-names.js";

/**
 * Turn ajv's errors on the effective config into one readable, positioned diagnostic
 * per problem: combinator noise collapsed to the most specific error, unknown keys
 * pointed at the key with a suggestion, missing keys at the enclosing object.
 * `schema` is the root schema the errors came from (to read sibling rules).
 */
export function schemaDiagnostics(
  errors: readonly ErrorObject[],
  root: SourceNode,
  schema: unknown,
): UserDiagnostic[] {
  const findings = collapseErrors(errors.filter(relevant));
  const out: UserDiagnostic[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const d = toDiagnostic(finding, root, schema);
    const key = `${d.source?.file}:${d.source?.line}:${d.source?.col}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** `if` errors only say "must match then"; type-name mismatches are reported by the type check, with a suggestion. */
function relevant(error: ErrorObject): boolean {
  if (error.keyword === "if") return false;
  return !/^#\/definitions\/(module|step|trigger)\/properties\/type\/anyOf(\/|$)/.test(
    error.schemaPath,
  );
}

function toDiagnostic(finding: Finding, root: SourceNode, schema: unknown): UserDiagnostic {
  const path = pointerToPath(root, finding.instancePath);
  const { message, anchor, at } = describe(finding, root, path, schema);
  const target = at ?? path;
  return diagnosticAt(nearestNode(root, target), "WF_ERR_CONFIG_SCHEMA", message, { anchor });
}

function nearestNode(root: SourceNode, path: readonly PathSegment[]): SourceNode {
  for (let n = path.length; n > 0; n--) {
    const node = nodeAt(root, path.slice(0, n));
    if (node) return node;
  }
  return root;
}

interface Described {
  readonly message: string;
  readonly anchor: Anchor;
  /** Where to point, when not at the error's instance. */
  readonly at?: readonly PathSegment[];
}

function describe(
  finding: Finding,
  root: SourceNode,
  path: readonly PathSegment[],
  schema: unknown,
): Described {
  if (finding.custom)
    return {
      message: finding.custom(subject(path), describePlace(root, path)),
      anchor: finding.anchor ?? "value",
    };
  const params = finding.params;
  const what = subject(path);
  const got = describeValue(finding.data);
  const parent = finding.parentSchema ?? {};
  switch (finding.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      return {
        message: `unknown key ${quote(key)} in ${describePlace(root, path)}${didYouMean(key, allowedKeys(parent))}`,
        anchor: "key",
        at: [...path, key],
      };
    }
    case "required":
      return {
        message: `${describePlace(root, path)} is missing required key ${quote(String(params.missingProperty))}`,
        anchor: "key",
      };
    case "dependencies":
    case "dependentRequired":
      return {
        message: `${describePlace(root, path)} has ${quote(String(params.property))} but is missing ${quote(String(params.missingProperty))}, which it requires`,
        anchor: "key",
      };
    case "type": {
      const types = Array.isArray(params.type) ? params.type : String(params.type).split(",");
      return {
        message: `${what} must be ${orList(types.map(String).map(typeName))}, got ${got}`,
        anchor: "value",
      };
    }
    case "enum": {
      const values = (Array.isArray(params.allowedValues) ? params.allowedValues : []).map(String);
      const hint = typeof finding.data === "string" ? didYouMean(finding.data, values) : "";
      return {
        message: `${what} must be one of ${values.join(", ")}, got ${got}${hint}`,
        anchor: "value",
      };
    }
    case "const":
      return {
        message: `${what} must be ${JSON.stringify(params.allowedValue)}, got ${got}`,
        anchor: "value",
      };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const words = {
        minimum: "at least",
        maximum: "at most",
        exclusiveMinimum: "greater than",
        exclusiveMaximum: "less than",
      };
      return {
        message: `${what} must be ${words[finding.keyword]} ${String(params.limit)}, got ${got}`,
        anchor: "value",
      };
    }
    case "multipleOf":
      return {
        message: `${what} must be a multiple of ${String(params.multipleOf)}, got ${got}`,
        anchor: "value",
      };
    case "minLength":
      return {
        message:
          params.limit === 1
            ? `${what} must not be empty`
            : `${what} must be at least ${String(params.limit)} characters long`,
        anchor: "value",
      };
    case "maxLength":
      return {
        message: `${what} must be at most ${String(params.limit)} characters long`,
        anchor: "value",
      };
    case "minItems":
      return {
        message: `${what} must have at least ${count(params.limit, "item")}`,
        anchor: "value",
      };
    case "maxItems":
    case "additionalItems":
      return {
        message: `${what} must have at most ${count(params.limit, "item")}`,
        anchor: "value",
      };
    case "minProperties":
      return {
        message: `${what} must have at least ${count(params.limit, "key")}`,
        anchor: "value",
      };
    case "maxProperties":
      return {
        message: `${what} must have at most ${count(params.limit, "key")}`,
        anchor: "value",
      };
    case "uniqueItems":
      return {
        message: `${what} must not repeat items (items ${Number(params.j) + 1} and ${Number(params.i) + 1} are equal)`,
        anchor: "value",
      };
    case "pattern":
      return {
        message: patternMessage(what, parent, String(params.pattern), finding.data),
        anchor: "value",
      };
    case "format":
      return {
        message: `${what} must be a valid ${String(params.format)}, got ${got}`,
        anchor: "value",
      };
    case "propertyNames":
      return {
        message: `key ${quote(String(params.propertyName))} is not allowed in ${describePlace(root, path)}`,
        anchor: "key",
        at: [...path, String(params.propertyName)],
      };
    case "false schema":
      return { message: falseSchemaMessage(what, finding.schemaPath, schema), anchor: "key" };
    case "contains":
      return { message: `${what} must contain at least one matching item`, anchor: "value" };
    case "not":
      return { message: `${what} has a value that is not allowed here`, anchor: "value" };
    case "anyOf":
      return { message: `${what} does not match any of the allowed forms`, anchor: "value" };
    case "oneOf":
      return { message: `${what} matches more than one of the allowed forms`, anchor: "value" };
    default:
      return { message: `${what} ${finding.message ?? "is not valid"}`, anchor: "value" };
  }
}

/** `"port"`, `"ports[1]"`; the whole config for the root. */
function subject(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return "the config";
  if (typeof last === "number") return quote(formatPath(path.slice(-2)));
  return quote(last);
}

function allowedKeys(parent: Readonly<Record<string, unknown>>): string[] {
  const properties = parent.properties;
  if (typeof properties !== "object" || properties === null) return [];
  return Object.entries(properties)
    .filter(([, value]) => value !== false)
    .map(([key]) => key);
}

function count(limit: unknown, noun: string): string {
  return `${String(limit)} ${noun}${limit === 1 ? "" : "s"}`;
}

/** Readable wording for the pattern shapes used by registered schemas: durations, `${…}`-or-literal, templates. */
function patternMessage(
  what: string,
  parent: Readonly<Record<string, unknown>>,
  pattern: string,
  data: unknown,
): string {
  const got = describeValue(data);
  const durationLike = /\(\?:?ms\|s\|m\|h/.test(pattern) || /\(ms\|s\|m\|h/.test(pattern);
  const types = Array.isArray(parent.type) ? parent.type.map(String) : [];
  const others = types.filter((t) => t !== "string");
  const extras: string[] = [];
  if (pattern.includes("\\$\\{")) extras.push("a ${…} expansion");
  if (pattern.includes("\\{\\{")) extras.push("a {{ }} template");
  if (durationLike) {
    return `${what} must be a duration like ${DURATION_EXAMPLES}${extras.length ? ` (or ${orList(extras)})` : ""}, got ${got}`;
  }
  if (others.length > 0) {
    return `${what} must be ${orList([...others.map(typeName), ...extras])}, got ${got}`;
  }
  return `${what} must match the pattern ${pattern}, got ${got}`;
}

/**
 * `{if: {required: [a]}, then: {properties: {b: false}}}` means "b cannot be used with
 * a": name both when the rule has that shape.
 */
function falseSchemaMessage(what: string, schemaPath: string, schema: unknown): string {
  const match = /^#(.*)\/then\/properties\/[^/]+\/false schema$/.exec(schemaPath);
  if (match) {
    const rule = schemaAt(schema, match[1] ?? "");
    const required = (rule as { if?: { required?: unknown } } | undefined)?.if?.required;
    if (Array.isArray(required) && required.length > 0) {
      return `${what} cannot be used together with ${orList(required.map((k) => quote(String(k))))}`;
    }
  }
  return `${what} is not allowed here`;
}

function schemaAt(schema: unknown, pointer: string): unknown {
  let node = schema;
  for (const raw of pointer.split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
