import {
  type ActionError,
  type CallOptions,
  ErrProviderMethodUnimplemented,
  errorIs,
} from "../../contracts/index.js";
import { toError } from "../../diagnostics/index.js";
import { isProviderFinalizer } from "../provider-finalizer.js";
import type { ProviderSet } from "../provider-set.js";

/** The ActionError resource name upstream gives finalize failures. */
export const PLAN_FINALIZE = "<plan-finalize>";

/**
 * FinalizeApply on every provider of the run that has it, once, in module order,
 * after the action loop (also for an empty plan). A provider answering
 * "unimplemented" is skipped; any other failure becomes an ActionError.
 */
export async function finalizeProviders(
  providers: ProviderSet,
  planId: string,
  opts?: CallOptions,
): Promise<ActionError[]> {
  const errors: ActionError[] = [];
  for (const module of providers.names()) {
    const provider = providers.get(module);
    if (!isProviderFinalizer(provider)) continue;
    try {
      await provider.finalizeApply(planId, opts);
    } catch (err) {
      if (errorIs(err, ErrProviderMethodUnimplemented)) continue;
      errors.push({
        resource: PLAN_FINALIZE,
        action: "finalize",
        error: `plan finalize: provider "${module}": ${toError(err).message}`,
      });
    }
  }
  return errors;
}
