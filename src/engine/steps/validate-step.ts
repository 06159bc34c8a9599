/**
 * `step.validate`: checks data (the current data, or `source`) against a JSON Schema
 * (draft-07, compiled once when the pipeline is built) or a list of required fields.
 * A failure is a ValidationError — HTTP 400 — naming the failing field as a dotted
 * path (`customer.email`). Output: `{valid: true}`.
 */

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { ValidationError } from "../../contracts/index.js";
import { isPlainObject } from "../../is-record.js";
import { configError, messageOf, optionalString, pipelineStep } from "./data-step-support.js";
import type { StepFactory } from "./step-factory.js";
import { dataPath } from "./step-runtime.js";

// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`.
const addFormats = addFormatsModule.default;

let shared: Ajv | undefined;

/** One Ajv for every validate step; schemas' `$id`s are not registered, so they never clash. */
function ajv(): Ajv {
  if (shared === undefined) {
    shared = new Ajv({ allErrors: false, strict: false, addUsedSchema: false });
    addFormats(shared);
  }
  return shared;
}

type Check = (data: unknown) => ValidationError | undefined;

export const validateStep: StepFactory = (ctx) => {
  const source = optionalString(ctx, "source");
  const read = source === undefined ? undefined : dataPath(source);
  const check = buildCheck(ctx);
  return pipelineStep(ctx, async (pc) => {
    const data = read === undefined ? pc.current : read(pc);
    const failure = check(data);
    if (failure) throw failure;
    return { output: { valid: true } };
  });
};

function buildCheck(ctx: Parameters<StepFactory>[0]): Check {
  const { schema, required_fields: fields } = ctx.config;
  const strategy =
    optionalString(ctx, "strategy") ?? (schema !== undefined ? "json_schema" : "required_fields");
  if (strategy === "json_schema") {
    if (!isPlainObject(schema))
      throw configError(ctx, "config.schema must be a JSON Schema object");
    let validate: ValidateFunction;
    try {
      validate = ajv().compile(schema);
    } catch (err) {
      throw configError(ctx, `config.schema is not a valid JSON Schema: ${messageOf(err)}`);
    }
    return (data) => {
      if (validate(data)) return undefined;
      const error = validate.errors?.[0];
      return error ? schemaFailure(error) : new ValidationError("input is invalid", 400);
    };
  }
  if (strategy === "required_fields") {
    if (!Array.isArray(fields) || fields.length === 0 || !fields.every(isFieldName)) {
      throw configError(ctx, "config.required_fields must be a non-empty list of field names");
    }
    return (data) => {
      const missing = fields.find((field) => absent(data, field));
      return missing === undefined ? undefined : required(missing);
    };
  }
  throw configError(
    ctx,
    `config.strategy must be json_schema or required_fields, not "${strategy}"`,
  );
}

const isFieldName = (x: unknown): x is string => typeof x === "string" && x.trim() !== "";

/** A field (dotted path) is absent when it, or a parent, is missing or null. */
function absent(data: unknown, field: string): boolean {
  let value = data;
  for (const segment of field.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment)) return true;
    value = (value as Record<string, unknown>)[segment];
  }
  return value === undefined || value === null;
}

const required = (field: string) => new ValidationError(`${field} is required`, 400, { field });

/** `/customer/email` → `customer.email` (JSON Pointer escapes undone). */
function dotted(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

const join = (parent: string, child: unknown) =>
  parent === "" ? String(child) : `${parent}.${String(child)}`;

/** ajv's first error as a 400 naming the field (`customer.email must match format "email"`). */
function schemaFailure(error: ErrorObject): ValidationError {
  const at = dotted(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") return required(join(at, params.missingProperty));
  if (error.keyword === "additionalProperties") {
    const field = join(at, params.additionalProperty);
    return new ValidationError(`${field} is not allowed`, 400, { field });
  }
  let detail = error.message ?? "is invalid";
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    detail = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  if (at === "") return new ValidationError(`input ${detail}`, 400);
  return new ValidationError(`${at} ${detail}`, 400, { field: at });
}
