import type { ResourceState } from "../../contracts/index.js";
import { type ReferenceSources, resolveReferences } from "../references.js";

/** Outputs per resource name as plan sees them in state. */
export type StateOutputs = (resource: string) => Readonly<Record<string, unknown>> | undefined;

/**
 * What state knows for `${res.field}`: the resource's outputs, with `id` being its
 * provider ID (overriding an `id` output). Built lazily, once per resource.
 */
export function stateOutputs(state: readonly ResourceState[]): StateOutputs {
  const byName = new Map(state.map((s) => [s.name, s]));
  const built = new Map<string, Readonly<Record<string, unknown>>>();
  return (resource) => {
    const cached = built.get(resource);
    if (cached !== undefined) return cached;
    const entry = byName.get(resource);
    if (entry === undefined) return undefined;
    const outputs =
      entry.provider_id === "" ? entry.outputs : { ...entry.outputs, id: entry.provider_id };
    built.set(resource, outputs);
    return outputs;
  };
}

/**
 * Lenient resolution against state: known values are substituted, the rest stays
 * `${res.field}` for apply. References to `unknownAfterApply` resources (replaced or
 * created in this plan: their outputs will change) are deliberately left unresolved.
 */
export function resolveAgainstState(
  config: Readonly<Record<string, unknown>>,
  outputs: StateOutputs,
  unknownAfterApply: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const sources: ReferenceSources = {
    outputs: (resource) => (unknownAfterApply.has(resource) ? undefined : outputs(resource)),
  };
  return resolveReferences(config, sources, "lenient").config;
}
