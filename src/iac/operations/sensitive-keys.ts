import type { ProviderSet } from "../provider-set.js";

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

/**
 * The sensitive keys a provider module's driver declares for a type. Empty when the
 * provider or driver is unavailable or will not say, so masking falls back to the
 * fixed name list instead of failing the command that shows outputs.
 */
export async function driverSensitiveKeys(
  providers: ProviderSet,
  module: string,
  type: string,
): Promise<string[]> {
  if (!providers.names().includes(module)) return [];
  try {
    return await providers.get(module).resourceDriver(type).sensitiveKeys();
  } catch {
    return [];
  }
}
