/**
 * A `*_from` / `{_from: PATH}` data path as the template that reads it unchanged:
 * `steps.parse.body` → `{{ .steps.parse.body }}`, `.` → `{{ .current }}`. Compiled
 * like any template, so a missing key behaves as templates do (strict or not).
 */
export function pathTemplate(path: string): string {
  const trimmed = path.trim().replace(/^\./, "");
  return trimmed === "" ? "{{ .current }}" : `{{ .${trimmed} }}`;
}

/** `body` with every `{_from: PATH}` object replaced by the template reading PATH. */
export function expandFromRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandFromRefs);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && entries[0]?.[0] === "_from" && typeof entries[0][1] === "string") {
    return pathTemplate(entries[0][1]);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, expandFromRefs(v)]));
}
