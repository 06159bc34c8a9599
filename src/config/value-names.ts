/** How values and JSON Schema types are named in messages: in YAML words, with an article. */

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
  null: "null",
};

export function typeName(jsonType: string): string {
  return TYPE_NAMES[jsonType] ?? jsonType;
}

/** `a string ("abc")`, `a number (1.5)`, `a list`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return value.length <= 40 ? `a string (${JSON.stringify(value)})` : "a string";
    case "number":
      return Number.isInteger(value) ? `an integer (${value})` : `a number (${value})`;
    case "boolean":
      return `a boolean (${value})`;
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

/** Join alternatives readably: `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
