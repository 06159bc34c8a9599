const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/.source;

/** Shown in messages about a bad duration. */
export const DURATION_EXAMPLES = "500ms, 5s, 1m30s or 2h";

/**
 * Milliseconds in a duration written as Go writes them, plus days: `500ms`, `5s`,
 * `1m30s`, `1.5h`, `7d`, or `0`. Undefined when `text` is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  if (text === "") return undefined;
  const part = new RegExp(PART, "y");
  let total = 0;
  while (part.lastIndex < text.length) {
    const match = part.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}
