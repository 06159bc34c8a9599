import type { CallOptions } from "../contracts/index.js";

/**
 * Optional provider capability: one call after every action of an apply has run
 * (upstream `IaCProviderFinalizer.FinalizeApply`), for work that must see the whole
 * apply at once, e.g. pushing one app spec that bundles many resources. Not in the
 * seed's Go interface list, so it is defined here rather than in contracts.
 */
export interface ProviderFinalizer {
  finalizeApply(planId: string, opts?: CallOptions): Promise<void>;
}

export function isProviderFinalizer(x: unknown): x is ProviderFinalizer {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as { finalizeApply?: unknown }).finalizeApply === "function"
  );
}
