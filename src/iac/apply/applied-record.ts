import type { ResourceOutput, ResourceSpec, ResourceState } from "../../contracts/index.js";
import { configHash } from "../hashing.js";
import { resourceNeeds } from "./action-dependencies.js";

/**
 * The state record of a resource apply has just brought to `spec`. Config and hash
 * are the spec as planned, before just-in-time substitution: `${VAR}` secrets reach
 * the driver but never state, and a reference stays a reference.
 */
export function appliedRecord(
  spec: ResourceSpec,
  provider: string,
  output: Pick<ResourceOutput, "provider_id" | "outputs">,
  times: { readonly created_at: string; readonly updated_at: string },
): ResourceState {
  return {
    id: spec.name,
    name: spec.name,
    type: spec.type,
    provider,
    provider_id: output.provider_id,
    config_hash: configHash(spec.config),
    applied_config: spec.config,
    applied_config_source: "apply",
    outputs: output.outputs,
    dependencies: resourceNeeds(spec),
    created_at: times.created_at,
    updated_at: times.updated_at,
  };
}
