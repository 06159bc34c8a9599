import type { SourcePosition } from "../../diagnostics/index.js";
import { isPlainObject } from "../../is-record.js";
import { compileTemplate, staticValue } from "./compile-template.js";
import type { CompiledValue, TemplateSite } from "./template-api.js";

/** Where a value inside the compiled one was written (path relative to it), when known. */
export type LocateValue = (path: readonly (string | number)[]) => SourcePosition | undefined;

type Path = readonly (string | number)[];

/**
 * Compiles every string inside `value` (objects and arrays, to any depth; keys are
 * not templates). `dynamic` is false when no string holds a template, and `render`
 * then returns `value` itself (config is frozen). Otherwise each render builds a fresh
 * structure — static parts included — so callers may change what they get without
 * touching the config. A nested string's errors name its path after `site.label`
 * (`config.body.user[0]`) and use `locateValue(path)` for the position when given.
 */
export function compileValue(
  value: unknown,
  site: TemplateSite,
  locateValue?: LocateValue,
): CompiledValue {
  const compiled = compileNode(value, [], site, locateValue);
  return compiled.dynamic ? compiled : staticValue(value);
}

function labelSegment(key: string | number): string {
  if (typeof key === "number") return `[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function siteAt(site: TemplateSite, path: Path, locateValue: LocateValue | undefined) {
  if (path.length === 0) return site;
  const position = locateValue?.(path) ?? site.position;
  const label = site.label + path.map(labelSegment).join("");
  return position === undefined ? { label } : { label, position };
}

/** A fresh copy of plain data (arrays and plain objects; other values as they are). */
function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(out, key, copyData(value[key]));
  return out;
}

/** `out[key] = v`, also for a key named `__proto__` (an own property, never the prototype). */
function setOwn(out: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    out[key] = v;
  }
}

function compileNode(
  value: unknown,
  path: Path,
  site: TemplateSite,
  locateValue: LocateValue | undefined,
): CompiledValue {
  if (typeof value === "string") return compileTemplate(value, siteAt(site, path, locateValue));
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileNode(item, [...path, i], site, locateValue));
    if (!items.some((item) => item.dynamic))
      return { dynamic: false, render: () => copyData(value) };
    return {
      dynamic: true,
      render: (data, options) => items.map((item) => item.render(data, options)),
    };
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const entries = keys.map((key) => compileNode(value[key], [...path, key], site, locateValue));
    if (!entries.some((entry) => entry.dynamic)) {
      return { dynamic: false, render: () => copyData(value) };
    }
    return {
      dynamic: true,
      render: (data, options) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++)
          setOwn(out, keys[i]!, entries[i]!.render(data, options));
        return out;
      },
    };
  }
  return staticValue(value);
}
