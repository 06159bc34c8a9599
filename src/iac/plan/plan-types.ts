import type {
  GeneratorMetadata,
  IaCPlan,
  PlanDiagnostic,
  ResourceState,
} from "../../contracts/index.js";
import type { DesiredResource } from "../desired-resources.js";
import type { IacEventSink } from "../iac-events.js";
import type { ProviderSet } from "../provider-set.js";

/** Everything a plan is computed from; resolved once by the caller (the CLI). */
export interface PlanInput {
  /** From `infraModules(config).resources`, in config order (the ordering tie-break). */
  readonly desired: readonly DesiredResource[];
  /** Every resource in the store; `provider` is the provider module name. */
  readonly state: readonly ResourceState[];
  readonly providers: ProviderSet;
  /** `--include` names: only these resources (desired and state alike) are planned. */
  readonly include?: readonly string[];
  /** Driver calls in flight at once (Diff, and Read for adoption): default 8, clamped to 1..32. */
  readonly diffConcurrency?: number;
  readonly environ: Readonly<Record<string, string | undefined>>;
  /** The env vars the config read (`config.envVarsRead`), fingerprinted into the plan. */
  readonly envVarNames: readonly string[];
  readonly generator: GeneratorMetadata;
  readonly signal?: AbortSignal;
  readonly onEvent?: IacEventSink;
}

/** A ProviderValidator finding, with the provider module that reported it. */
export interface ProviderPlanDiagnostic extends PlanDiagnostic {
  readonly provider: string;
}

/** A `${res.field}` left in an action's config: apply resolves it just in time. */
export interface PendingReference {
  readonly resource: string;
  readonly reference: string;
}

export interface PlanResult {
  readonly plan: IaCPlan;
  /** Resource name → provider module, for every action (deletes: the module in state). */
  readonly providerOf: Readonly<Record<string, string>>;
  /** ProviderValidator findings; the caller decides which severities fail. */
  readonly diagnostics: readonly ProviderPlanDiagnostic[];
  readonly pendingReferences: readonly PendingReference[];
}
