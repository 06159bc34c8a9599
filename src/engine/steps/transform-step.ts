/**
 * `step.transform`: reshapes the current data with `operations` applied in order,
 * each to the previous one's result; outputs `{data}`.
 * - `extract {path}`: the value at a dotted path (numeric segments index lists);
 * - `map {mappings}`: renames keys (old → new), keeping the others;
 * - `filter {fields}`: keeps only those keys;
 * - `convert {from, to}`: json→string serialises, string→json parses, json→json
 *   normalises (a JSON round trip), string→string checks the value is text.
 * `map` and `filter` apply to each object of a list too (rows of `step.db_query`).
 * The pipeline's data is never changed: every operation builds new values.
 */
import { isPlainObject } from "../../is-record.js";
import { configError, messageOf, pipelineStep } from "./data-step-support.js";
import type { StepBuildContext, StepFactory } from "./step-factory.js";

type Operation = (data: unknown) => unknown;

export const transformStep: StepFactory = (ctx) => {
  const list = ctx.config.operations;
  if (!Array.isArray(list) || list.length === 0) {
    throw configError(ctx, "config.operations must be a non-empty list");
  }
  const operations = list.map((op, i) => ({ at: opLabel(i, op), run: operation(ctx, i, op) }));
  return pipelineStep(ctx, async (pc) => {
    let data: unknown = pc.current;
    for (const { at, run } of operations) {
      try {
        data = run(data);
      } catch (err) {
        throw new Error(`${at}: ${messageOf(err)}`);
      }
    }
    return { output: { data } };
  });
};

const opLabel = (i: number, op: unknown) =>
  `operations[${i}]${isPlainObject(op) && typeof op.type === "string" ? ` (${op.type})` : ""}`;

function operation(ctx: StepBuildContext, i: number, op: unknown): Operation {
  const at = `config.${opLabel(i, op)}`;
  if (!isPlainObject(op) || !isPlainObject(op.config))
    throw configError(ctx, `${at} needs a type and a config`);
  const config = op.config;
  switch (op.type) {
    case "extract": {
      const path = config.path;
      if (typeof path !== "string" || path.trim() === "")
        throw configError(ctx, `${at}: path is required`);
      return (data) => extract(data, path.trim());
    }
    case "map": {
      const mappings = config.mappings;
      if (
        !isPlainObject(mappings) ||
        !Object.values(mappings).every((v) => typeof v === "string" && v !== "")
      ) {
        throw configError(ctx, `${at}: mappings must map old key names to new ones`);
      }
      const renames = mappings as Record<string, string>;
      return eachObject((obj) => rename(obj, renames));
    }
    case "filter": {
      const fields = config.fields;
      if (
        !Array.isArray(fields) ||
        fields.length === 0 ||
        !fields.every((f) => typeof f === "string")
      ) {
        throw configError(ctx, `${at}: fields must be a non-empty list of key names`);
      }
      const keep = new Set<string>(fields);
      return eachObject((obj) => pick(obj, keep));
    }
    case "convert":
      return convert(ctx, at, config.from, config.to);
    default:
      throw configError(ctx, `${at}: type must be extract, map, filter or convert`);
  }
}

function extract(data: unknown, path: string): unknown {
  let value = data;
  for (const segment of path.replace(/^\./, "").split(".")) {
    const index = Array.isArray(value) && /^\d+$/.test(segment) ? Number(segment) : undefined;
    if (index !== undefined && Array.isArray(value) && index < value.length) {
      value = value[index];
    } else if (isPlainObject(value) && Object.hasOwn(value, segment)) {
      value = value[segment];
    } else {
      throw new Error(`nothing at ${path}`);
    }
  }
  return value;
}

/** Applies `fn` to an object, or to each object of a list. */
function eachObject(fn: (obj: Record<string, unknown>) => Record<string, unknown>): Operation {
  return (data) => {
    if (isPlainObject(data)) return fn(data);
    if (Array.isArray(data) && data.every(isPlainObject)) return data.map(fn);
    throw new Error(`needs an object or a list of objects, got ${kindOf(data)}`);
  };
}

function rename(obj: Record<string, unknown>, renames: Record<string, string>) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    setOwn(out, Object.hasOwn(renames, key) ? (renames[key] as string) : key, value);
  }
  return out;
}

function pick(obj: Record<string, unknown>, keep: ReadonlySet<string>) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) if (keep.has(key)) setOwn(out, key, value);
  return out;
}

function convert(ctx: StepBuildContext, at: string, from: unknown, to: unknown): Operation {
  const forms = ["json", "string"];
  if (!forms.includes(from as string) || !forms.includes(to as string)) {
    throw configError(ctx, `${at}: from and to must each be json or string`);
  }
  const text = (data: unknown) => {
    if (typeof data !== "string") throw new Error(`needs text, got ${kindOf(data)}`);
    return data;
  };
  if (from === "string" && to === "string") return text;
  if (from === "string") {
    return (data) => {
      const source = text(data);
      try {
        return JSON.parse(source);
      } catch (err) {
        throw new Error(`not valid JSON: ${messageOf(err)}`);
      }
    };
  }
  const serialise = (data: unknown) => JSON.stringify(data) ?? "null";
  return to === "string" ? serialise : (data) => JSON.parse(serialise(data));
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}
