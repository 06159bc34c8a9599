import {
  ErrProviderMethodUnimplemented,
  errorIs,
  type IaCPlan,
  isProviderValidator,
} from "../../contracts/index.js";
import { toError, WfError } from "../../diagnostics/index.js";
import type { ProviderSet } from "../provider-set.js";
import type { ProviderPlanDiagnostic } from "./plan-types.js";

/**
 * Runs each ProviderValidator over the sub-plan of its own actions (providers with no
 * action in the plan are not asked) and collects every finding, severity kept: the
 * caller decides what fails. A provider that turns out not to implement it is skipped.
 */
export async function validateWithProviders(
  plan: IaCPlan,
  providerOf: Readonly<Record<string, string>>,
  providers: ProviderSet,
): Promise<ProviderPlanDiagnostic[]> {
  const found = await Promise.all(
    providers.names().map(async (module): Promise<ProviderPlanDiagnostic[]> => {
      const provider = providers.get(module);
      const actions = plan.actions.filter((a) => providerOf[a.resource.name] === module);
      if (actions.length === 0 || !isProviderValidator(provider)) return [];
      try {
        const diagnostics = await provider.validatePlan({ ...plan, actions });
        return diagnostics.map((d) => ({ ...d, provider: module }));
      } catch (err) {
        if (errorIs(err, ErrProviderMethodUnimplemented)) return [];
        throw new WfError(
          "WF_ERR_PROVIDER",
          `provider "${module}": plan validation failed: ${toError(err).message}`,
          { cause: err },
        );
      }
    }),
  );
  return found.flat();
}
