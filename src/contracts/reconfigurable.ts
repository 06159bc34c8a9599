import type { CallOptions } from "./call-options.js";
import { hasMethods } from "./guards.js";

/**
 * Optional module capability: apply a new config while running, so a config change
 * touching only such modules avoids a full stop/rebuild/start. The module validates
 * the config, drains in-flight work, applies it and resumes; it rejects when the
 * config is invalid or cannot be applied.
 */
export interface Reconfigurable {
  reconfigure(newConfig: Record<string, unknown>, opts?: CallOptions): Promise<void>;
}

export function isReconfigurable(x: unknown): x is Reconfigurable {
  return hasMethods(x, "reconfigure");
}
