import { randomUUID } from "node:crypto";
import { formatGoTime, TIME_LAYOUTS } from "./time-layout.js";
import {
  dataEquals,
  describeValue,
  formatText,
  isContainer,
  isTruthy,
  MISSING,
  readOwn,
  toJson,
} from "./values.js";

/**
 * The template functions, with Go's argument order (the value being worked on comes
 * last, so `.name | trimPrefix "x"` reads naturally). String functions turn their
 * arguments into text as interpolation does (null → ""). A failure throws
 * FunctionFailure, which the evaluator reports with the template's label and column.
 *
 * Choices where upstream differs or is silent: `div` by zero fails (upstream: 0);
 * toInt/toFloat/add/sub/mul/div fail on non-numeric text (upstream: 0) but read null
 * as 0; `eq`/`ne` compare structurally without coercion (`eq "1" 1` is false);
 * lt/le/gt/ge fail on mixed types; `and`/`or`/`not` use isTruthy (so "false" is
 * falsy, as in guards); `length` counts characters, not bytes; `contains` also
 * tests list membership; `title` keeps the original spacing; `now` is UTC.
 */
export interface FunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly call: (args: readonly unknown[]) => unknown;
  /** Arguments are evaluated one by one, as needed (`and`, `or`). */
  readonly lazy?: boolean;
  /** A missing key among the arguments is expected: no warning, no strict error. */
  readonly acceptsMissing?: boolean;
}

export class FunctionFailure extends Error {
  override name = "FunctionFailure";
}

const text = formatText;

/** A number from a number, numeric string, boolean or null (0); anything else fails. */
function toNumber(value: unknown, fn: string): number {
  switch (typeof value) {
    case "number":
      return value;
    case "bigint":
      return Number(value);
    case "boolean":
      return value ? 1 : 0;
    case "undefined":
      return 0;
    case "string": {
      const trimmed = value.trim();
      const n = trimmed === "" ? Number.NaN : Number(trimmed);
      if (!Number.isNaN(n)) return n;
      break;
    }
    default:
      if (value === null) return 0;
  }
  throw new FunctionFailure(`${fn}: ${describeValue(value)} is not a number`);
}

/** Go's url.QueryEscape: letters, digits and -_.~ stay; space is "+"; the rest %XX. */
function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

function compare(fn: string, a: unknown, b: unknown): number {
  const numeric = (v: unknown) => typeof v === "number" || typeof v === "bigint";
  if (numeric(a) && numeric(b)) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a === b ? 0 : 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  throw new FunctionFailure(
    `${fn}: cannot compare ${describeValue(a)} with ${describeValue(b)} (convert with toInt, toFloat or toString)`,
  );
}

function length(value: unknown): number {
  if (typeof value === "string") {
    let n = 0;
    for (const _ of value) n++;
    return n;
  }
  if (Array.isArray(value)) return value.length;
  if (isContainer(value)) return Object.keys(value).length;
  return 0;
}

function now(layout: unknown): string {
  const name = layout === undefined ? "" : text(layout);
  return formatGoTime(
    new Date(),
    name === "" ? "2006-01-02T15:04:05Z07:00" : (TIME_LAYOUTS.get(name) ?? name),
  );
}

/** undefined, null and "" are empty (upstream `default`/`coalesce`). */
const isEmpty = (v: unknown) => v === undefined || v === null || v === "";

const ARITY_1 = { minArgs: 1, maxArgs: 1 } as const;
const ARITY_2 = { minArgs: 2, maxArgs: 2 } as const;
const ARITY_3 = { minArgs: 3, maxArgs: 3 } as const;
const VARIADIC = Number.POSITIVE_INFINITY;

const specs: [string, FunctionSpec][] = [
  ["uuid", { minArgs: 0, maxArgs: 0, call: () => randomUUID() }],
  ["uuidv4", { minArgs: 0, maxArgs: 0, call: () => randomUUID() }],
  ["now", { minArgs: 0, maxArgs: 1, call: ([layout]) => now(layout) }],
  // Strings.
  ["lower", { ...ARITY_1, call: ([s]) => text(s).toLowerCase() }],
  ["upper", { ...ARITY_1, call: ([s]) => text(s).toUpperCase() }],
  [
    "title",
    {
      ...ARITY_1,
      call: ([s]) => text(s).replace(/(^|\s)(\S)/gu, (_m, sp, c) => sp + c.toUpperCase()),
    },
  ],
  ["trimSpace", { ...ARITY_1, call: ([s]) => text(s).trim() }],
  [
    "trimPrefix",
    {
      ...ARITY_2,
      call: ([prefix, s]) => {
        const p = text(prefix);
        const str = text(s);
        return p !== "" && str.startsWith(p) ? str.slice(p.length) : str;
      },
    },
  ],
  [
    "trimSuffix",
    {
      ...ARITY_2,
      call: ([suffix, s]) => {
        const x = text(suffix);
        const str = text(s);
        return x !== "" && str.endsWith(x) ? str.slice(0, str.length - x.length) : str;
      },
    },
  ],
  ["replace", { ...ARITY_3, call: ([old, rep, s]) => text(s).replaceAll(text(old), text(rep)) }],
  [
    "contains",
    {
      ...ARITY_2,
      call: ([sub, s]) =>
        Array.isArray(s) ? s.some((item) => dataEquals(item, sub)) : text(s).includes(text(sub)),
    },
  ],
  ["hasPrefix", { ...ARITY_2, call: ([prefix, s]) => text(s).startsWith(text(prefix)) }],
  ["hasSuffix", { ...ARITY_2, call: ([suffix, s]) => text(s).endsWith(text(suffix)) }],
  [
    "split",
    {
      ...ARITY_2,
      call: ([sep, s]) => (text(sep) === "" ? Array.from(text(s)) : text(s).split(text(sep))),
    },
  ],
  [
    "join",
    {
      ...ARITY_2,
      call: ([sep, list]) =>
        Array.isArray(list) ? list.map((item) => text(item)).join(text(sep)) : text(list),
    },
  ],
  ["urlEncode", { ...ARITY_1, call: ([s]) => queryEscape(text(s)) }],
  ["b64", { ...ARITY_1, call: ([s]) => Buffer.from(text(s), "utf8").toString("base64") }],
  ["json", { ...ARITY_1, call: ([v]) => toJson(v) }],
  // Defaults.
  [
    "default",
    { ...ARITY_2, acceptsMissing: true, call: ([fallback, v]) => (isEmpty(v) ? fallback : v) },
  ],
  [
    "coalesce",
    {
      minArgs: 1,
      maxArgs: VARIADIC,
      acceptsMissing: true,
      call: (args) => args.find((v) => !isEmpty(v)) ?? null,
    },
  ],
  // Conversions.
  ["toInt", { ...ARITY_1, call: ([v]) => Math.trunc(toNumber(v, "toInt")) }],
  ["toFloat", { ...ARITY_1, call: ([v]) => toNumber(v, "toFloat") }],
  ["toString", { ...ARITY_1, call: ([v]) => text(v) }],
  ["length", { ...ARITY_1, call: ([v]) => length(v) }],
  ["len", { ...ARITY_1, call: ([v]) => length(v) }],
  // Arithmetic: integers stay integers; div is always a float division.
  ["add", { ...ARITY_2, call: ([a, b]) => toNumber(a, "add") + toNumber(b, "add") }],
  ["sub", { ...ARITY_2, call: ([a, b]) => toNumber(a, "sub") - toNumber(b, "sub") }],
  ["mul", { ...ARITY_2, call: ([a, b]) => toNumber(a, "mul") * toNumber(b, "mul") }],
  [
    "div",
    {
      ...ARITY_2,
      call: ([a, b]) => {
        const divisor = toNumber(b, "div");
        if (divisor === 0) throw new FunctionFailure("div: division by zero");
        return toNumber(a, "div") / divisor;
      },
    },
  ],
  // Comparisons and logic.
  [
    "eq",
    {
      minArgs: 2,
      maxArgs: VARIADIC,
      call: (args) => {
        for (let i = 1; i < args.length; i++) if (dataEquals(args[0], args[i])) return true;
        return false;
      },
    },
  ],
  ["ne", { ...ARITY_2, call: ([a, b]) => !dataEquals(a, b) }],
  ["lt", { ...ARITY_2, call: ([a, b]) => compare("lt", a, b) < 0 }],
  ["le", { ...ARITY_2, call: ([a, b]) => compare("le", a, b) <= 0 }],
  ["gt", { ...ARITY_2, call: ([a, b]) => compare("gt", a, b) > 0 }],
  ["ge", { ...ARITY_2, call: ([a, b]) => compare("ge", a, b) >= 0 }],
  ["and", { minArgs: 1, maxArgs: VARIADIC, lazy: true, call: () => undefined }],
  ["or", { minArgs: 1, maxArgs: VARIADIC, lazy: true, call: () => undefined }],
  ["not", { ...ARITY_1, call: ([v]) => !isTruthy(v) }],
  // `index` is compiled by the evaluator (missing keys name their path); listed for arity.
  ["index", { minArgs: 1, maxArgs: VARIADIC, call: () => undefined }],
];

export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(specs);

/** Names of the template functions, sorted (for docs and suggestions). */
export const TEMPLATE_FUNCTIONS: readonly string[] = [...FUNCTIONS.keys()].sort();

/** Go template keywords this subset leaves out, for a clearer error than "unknown function". */
export const UNSUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  "if",
  "else",
  "end",
  "range",
  "with",
  "define",
  "template",
  "block",
  "break",
  "continue",
]);

/** One `index` step: `key` of `container` (string key or integer position). */
export function indexStep(container: unknown, key: unknown): unknown {
  if (typeof key === "string") return readOwn(container, key);
  if (typeof key === "number") {
    return Number.isInteger(key) && key >= 0 ? readOwn(container, String(key)) : MISSING;
  }
  if (key === undefined || key === null) return MISSING;
  throw new FunctionFailure(`index: a key must be a string or a number, not ${describeValue(key)}`);
}
