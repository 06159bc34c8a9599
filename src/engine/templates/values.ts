/**
 * How templates read and show data. Reads are confined to own enumerable properties of
 * plain objects and arrays: no prototype, getter-free class instance, function or
 * process state is reachable from a template.
 */

import { isPlainObject } from "../../is-record.js";

/** A read that found nothing (distinct from a present `null`). */
export const MISSING: unique symbol = Symbol("missing");

/** Plain data containers: arrays and plain objects. */
export function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return Array.isArray(value) || isPlainObject(value);
}

/**
 * `container[key]` when `container` is plain data holding `key` as an own property
 * (Object.hasOwn), so `.constructor`, `.__proto__`, `.prototype`, `.toString` and an
 * array's `.length` are missing; function and symbol values read as missing too.
 * Data is plain by contract (JSON-like, no accessors), so own means own enumerable.
 */
export function readOwn(container: unknown, key: string): unknown {
  if (!isContainer(container)) return MISSING;
  if (!Object.hasOwn(container, key) || (key === "length" && Array.isArray(container))) {
    return MISSING;
  }
  const value = (container as Record<string, unknown>)[key];
  if (typeof value === "function" || typeof value === "symbol") return MISSING;
  return value;
}

/**
 * Truthiness of `if`/`skip_if` and of `and`/`or`/`not`: false for undefined, null,
 * false, 0, NaN, empty and whitespace-only strings, the strings "false" and "0"
 * (trimmed, as upstream), and — as in Go templates — empty arrays and empty objects.
 * Everything else is true.
 */
export function isTruthy(value: unknown): boolean {
  switch (typeof value) {
    case "undefined":
      return false;
    case "boolean":
      return value;
    case "number":
      return value !== 0 && !Number.isNaN(value);
    case "bigint":
      return value !== 0n;
    case "string": {
      const trimmed = value.trim();
      return trimmed !== "" && trimmed !== "false" && trimmed !== "0";
    }
    case "object":
      if (value === null) return false;
      if (Array.isArray(value)) return value.length > 0;
      if (isPlainObject(value)) {
        for (const key in value) if (Object.hasOwn(value, key)) return true;
        return false;
      }
      return true;
    default:
      return false;
  }
}

/**
 * How a value reads inside text: strings as is, numbers and booleans as written,
 * null and missing as "" (never `<no value>`), dates as ISO 8601, objects and arrays
 * as JSON.
 */
export function formatText(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "object":
      if (value === null) return "";
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
      return jsonOf(value) ?? "";
    default:
      return "";
  }
}

/**
 * JSON text of plain data, written here rather than by JSON.stringify so that no
 * `toJSON` method is ever called: strings, finite numbers, booleans, null, lists and
 * plain objects (own enumerable keys); dates as ISO strings; bigints as numbers;
 * missing, functions and other objects as null (dropped as object members).
 */
export function toJson(value: unknown): string {
  return jsonOf(value) ?? "null";
}

function jsonOf(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map((item) => jsonOf(item) ?? "null").join(",")}]`;
      if (value instanceof Date) {
        return Number.isNaN(value.getTime()) ? "null" : JSON.stringify(value.toISOString());
      }
      if (!isPlainObject(value)) return undefined;
      const members: string[] = [];
      for (const key of Object.keys(value)) {
        const member = jsonOf(value[key]);
        if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
      }
      return `{${members.join(",")}}`;
    }
    default:
      return undefined;
  }
}

/** Structural equality of data; null equals missing; no coercion between types. */
export function dataEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "bigint" || ta === "number") && (tb === "bigint" || tb === "number")) {
    // biome-ignore lint/suspicious/noDoubleEquals: compares a bigint with a number exactly.
    return a == b;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => dataEquals(item, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && dataEquals(a[key], b[key]));
}

/** A short description of a value for error messages: `string "abc"`, `object`. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return `${typeof value === "bigint" ? "number" : typeof value} ${String(value)}`;
  }
  if (Array.isArray(value)) return "list";
  return "object";
}
