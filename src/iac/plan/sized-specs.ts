import type { ProviderSizing, ResourceSpec } from "../../contracts/index.js";
import { WfError } from "../../diagnostics/index.js";
import type { DesiredResource } from "../desired-resources.js";
import type { ProviderSet } from "../provider-set.js";

/**
 * The desired specs with abstract sizes made concrete: a spec with `size` gets
 * `config.sizing = {instance_type, specs}` from its provider's ResolveSizing. Plan
 * does this once and apply executes the planned spec, so both agree on the size
 * (upstream sized only at apply). Identical requests are asked once.
 */
export async function sizeSpecs(
  desired: readonly DesiredResource[],
  providers: ProviderSet,
  signal?: AbortSignal,
): Promise<ResourceSpec[]> {
  const cache = new Map<string, Promise<ProviderSizing>>();
  const specs: ResourceSpec[] = [];
  for (const { spec, provider } of desired) {
    if (spec.size === undefined) {
      specs.push(spec);
      continue;
    }
    signal?.throwIfAborted();
    const key = JSON.stringify([provider, spec.type, spec.size, spec.hints ?? null]);
    let sizing = cache.get(key);
    if (sizing === undefined) {
      sizing = providers.get(provider).resolveSizing(spec.type, spec.size, spec.hints);
      cache.set(key, sizing);
    }
    try {
      const { instance_type, specs: concrete } = await sizing;
      specs.push({
        ...spec,
        config: { ...spec.config, sizing: { instance_type, specs: concrete } },
      });
    } catch (err) {
      throw new WfError(
        "WF_ERR_PROVIDER",
        `resource "${spec.name}" (${spec.type}): provider "${provider}" could not resolve size "${spec.size}": ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return specs;
}
