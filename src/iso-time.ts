// Timestamps are taken per execution, step and event: toISOString costs ~1 µs each
// (measured), so the text up to the seconds is made once a second.
let cachedSecond = Number.NaN;
let cachedPrefix = "";

/** `ms` (epoch milliseconds) as ISO 8601 text, exactly as toISOString writes it. */
export function iso(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const text = new Date(second * 1000).toISOString();
    if (text.length !== 24) return new Date(ms).toISOString();
    cachedSecond = second;
    cachedPrefix = text.slice(0, 20);
  }
  const millis = ms - second * 1000;
  if (!Number.isInteger(millis)) return new Date(ms).toISOString();
  return `${cachedPrefix}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

/** Now as ISO 8601 text. */
export const isoNow = (): string => iso(Date.now());
