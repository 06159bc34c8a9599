/** `http.server` settings as the server uses them, from the module's validated config. */

const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1000,
  KiB: 1024,
  MB: 1000 ** 2,
  MiB: 1024 ** 2,
  GB: 1000 ** 3,
  GiB: 1024 ** 3,
};

export const DEFAULT_BODY_LIMIT = 1024 ** 2;

/** `1048576`, `"512KiB"`, `"10MB"` → bytes (the schema has checked the shape). */
export function byteSize(value: unknown, fallback = DEFAULT_BODY_LIMIT): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return fallback;
  const match = /^([0-9]+)([A-Za-z]*)$/.exec(value.trim());
  if (!match) return fallback;
  return Number(match[1]) * (UNITS[match[2] || "B"] ?? 1);
}

/** `:8080` → every interface; `127.0.0.1:0` → loopback, any free port; `[::1]:80`. */
export function listenAddress(value: unknown): { host: string; port: number } {
  const text = typeof value === "string" ? value : ":8080";
  const colon = text.lastIndexOf(":");
  const host = text.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return { host: host === "" ? "0.0.0.0" : host, port: Number(text.slice(colon + 1)) };
}
