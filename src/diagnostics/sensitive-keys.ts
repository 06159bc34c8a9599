/**
 * Which values are secrets by their key's name: outputs, headers, recorded data.
 * Shown masked unless someone asks for them.
 */

/** What a masked value prints as. */
export const SENSITIVE_MASK = "(sensitive)";

/** Output keys masked whatever the driver says (upstream's list). */
export const SENSITIVE_OUTPUT_NAMES: readonly string[] = Object.freeze([
  "uri",
  "password",
  "secret",
  "token",
  "connection_string",
  "dsn",
  "secret_key",
  "access_key",
  "private_key",
  "api_key",
]);

const SENSITIVE_SUFFIXES = ["_password", "_secret", "_token"];

/**
 * True when an output key's value must be masked: the driver declares it sensitive
 * (`driverKeys`, from ResourceDriver.sensitiveKeys), or its name is on the fixed list
 * or ends in _password, _secret or _token. Case-insensitive: masking too much is safe.
 */
export function isSensitiveKey(key: string, driverKeys: Iterable<string> = []): boolean {
  const lower = key.toLowerCase();
  if (SENSITIVE_OUTPUT_NAMES.includes(lower)) return true;
  if (SENSITIVE_SUFFIXES.some((suffix) => lower.endsWith(suffix))) return true;
  for (const k of driverKeys) if (k.toLowerCase() === lower) return true;
  return false;
}

/** Request headers that carry credentials. */
const SENSITIVE_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-auth-token",
]);

/**
 * `value` with every value under a sensitive key (or credential header) masked, at
 * any depth; for data that is stored or logged (execution records). Objects without
 * a secret inside are returned as they are, so the common case copies nothing.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const masked = maskSecrets(value[i], depth + 1);
      if (masked === value[i]) continue;
      copy ??= [...value];
      copy[i] = masked;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    const secret = isSecretName(key);
    const masked =
      secret && v !== undefined && v !== null ? SENSITIVE_MASK : maskSecrets(v, depth + 1);
    if (masked === v) continue;
    copy ??= { ...record };
    copy[key] = masked;
  }
  return copy ?? value;
}

/** Names seen so far and whether they are secret: the same few recur in every record. */
const secretNames = new Map<string, boolean>();
const SECRET_NAMES_KEPT = 10_000;

function isSecretName(key: string): boolean {
  let secret = secretNames.get(key);
  if (secret === undefined) {
    secret = isSensitiveKey(key) || SENSITIVE_HEADERS.has(key.toLowerCase());
    // Keys are data (a map's keys can be anything), so the memory is bounded.
    if (secretNames.size >= SECRET_NAMES_KEPT) secretNames.clear();
    secretNames.set(key, secret);
  }
  return secret;
}
