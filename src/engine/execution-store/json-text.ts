/** Larger JSON values are stored as a marker saying how large they were. */
export const MAX_JSON_CHARS = 256 * 1024;

/**
 * A value as the JSON text stored for it (undefined → null). Values JSON cannot
 * represent as-is are stored as near as it can: bigints as text, cycles as
 * "[Circular]"; values over MAX_JSON_CHARS as `{"_truncated": true, "chars": N}`.
 */
export function jsonText(value: unknown): string | null {
  if (value === undefined) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = JSON.stringify(value, tolerantReplacer());
  }
  if (json === undefined) return null;
  if (json.length > MAX_JSON_CHARS) return JSON.stringify({ _truncated: true, chars: json.length });
  return json;
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
