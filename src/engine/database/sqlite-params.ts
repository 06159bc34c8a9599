/**
 * How `$1`-style SQL reaches better-sqlite3: placeholders become `?1` (bound by
 * number from an object), and values become ones SQLite stores.
 */

// Quoted text and comments are skipped, so a `$1` inside a string literal stays text.
const TOKENS = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|\$(\d+)/g;

/** `$1` → `?1` outside literals and comments. */
export function numberedPlaceholders(sql: string): string {
  if (!sql.includes("$")) return sql;
  return sql.replace(TOKENS, (token, digits: string | undefined) =>
    digits === undefined ? token : `?${digits}`,
  );
}

/**
 * `[a, b]` → `{1: a, 2: b}` with booleans as 1/0, undefined as null, Dates as ISO
 * text and plain objects or arrays as JSON text. Buffers, numbers, bigints, strings
 * and null pass through.
 */
export function sqliteParams(params: readonly unknown[] | undefined): Record<number, unknown> {
  const bound: Record<number, unknown> = {};
  if (params === undefined) return bound;
  for (let i = 0; i < params.length; i++) bound[i + 1] = sqliteValue(params[i]);
  return bound;
}

export function sqliteValue(value: unknown): unknown {
  switch (typeof value) {
    case "boolean":
      return value ? 1 : 0;
    case "undefined":
      return null;
    case "object":
      if (value === null || ArrayBuffer.isView(value)) return value;
      if (value instanceof Date) return value.toISOString();
      return JSON.stringify(value);
    default:
      return value;
  }
}

/** Whether a statement inserts rows (so the last rowid means something). */
export function insertsRows(sql: string): boolean {
  return /^\s*(?:WITH\b[\s\S]*?\)\s*)?(?:INSERT|REPLACE)\b/i.test(sql);
}
