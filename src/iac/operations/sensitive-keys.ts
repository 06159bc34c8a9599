import type { ProviderSet } from "../provider-set.js";

export {
  isSensitiveKey,
  SENSITIVE_MASK,
  SENSITIVE_OUTPUT_NAMES,
} from "../../diagnostics/sensitive-keys.js";

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
