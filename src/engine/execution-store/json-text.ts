/** Larger JSON values are stored as a marker saying how large they were. */
export const MAX_JSON_CHARS = 256 * 1024;

/**
 * Rows as one JSON array text, in one JSON.stringify when it is small enough that no
 * value in it can be over MAX_JSON_CHARS (the common case: one call costs less than
 * one per row); otherwise each row is first passed through `limit`. Values JSON
 * cannot represent as-is are stored as near as it can: bigints as text, cycles as
 * "[Circular]".
 */
export function jsonArrayText<Row>(rows: readonly Row[], limit: (row: Row) => Row): string {
  const whole = stringify(rows) ?? "[]";
  return whole.length <= MAX_JSON_CHARS ? whole : (stringify(rows.map(limit)) ?? "[]");
}

/** `record` with each value over MAX_JSON_CHARS replaced by `{"_truncated": true, "chars": N}`. */
export function limitValues(record: Record<string, unknown>): Record<string, unknown> {
  const limited: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const chars = stringify(value)?.length ?? 0;
    limited[key] = chars > MAX_JSON_CHARS ? { _truncated: true, chars } : value;
  }
  return limited;
}

/** Stored JSON text back as a value; SQL NULL as null. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function stringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(value, tolerantReplacer());
  }
}

function tolerantReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: object[] = [];
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === "bigint") return value.toString();
    if (typeof value !== "object" || value === null) return value;
    // `this` is the object holding `value`: drop the ancestors we have left.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(value)) return "[Circular]";
    ancestors.push(value);
    return value;
  };
}
