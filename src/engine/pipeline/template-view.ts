import type { PipelineContext, Tenant } from "../../contracts/index.js";

/** Metadata key of the resolved tenant, shown to templates as `.tenant`. */
export const TENANT = "_tenant";

/** An execution's metadata for its tenant: the tenant (`.tenant`) and its id (recorded). */
export function tenantMetadata(tenant: Tenant): Record<string, unknown> {
  return { [TENANT]: tenant, tenant_id: tenant.id };
}

/** The slug of an execution's tenant, for log lines and metrics labels ("" without one). */
export function tenantSlug(pc: PipelineContext): string {
  return (pc.metadata[TENANT] as Tenant | undefined)?.slug ?? "";
}

/** Root keys that are not `current`'s: they win over same-named keys of `current`. */
const RESERVED = new Set(["steps", "trigger", "meta", "current", "tenant"]);

/**
 * What templates of an execution see: `current`'s keys at top level, then `steps`,
 * `trigger`, `meta` (metadata without its internal `_` keys), `current` and, when
 * resolved, `tenant`.
 */
export function buildTemplateView(pc: PipelineContext): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  mergeIntoView(view, pc.current);
  const meta: Record<string, unknown> = {};
  for (const key of Object.keys(pc.metadata)) {
    if (!key.startsWith("_")) meta[key] = pc.metadata[key];
  }
  view.steps = pc.stepOutputs;
  view.trigger = pc.triggerData;
  view.meta = meta;
  view.current = pc.current;
  const tenant = pc.metadata[TENANT];
  if (tenant !== undefined) view.tenant = tenant;
  return view;
}

/** Brings a view up to date with an output just merged into `current`. */
export function mergeIntoView(
  view: Record<string, unknown>,
  output: Readonly<Record<string, unknown>>,
): void {
  for (const key of Object.keys(output)) {
    if (RESERVED.has(key)) continue;
    if (key === "__proto__") {
      Object.defineProperty(view, key, {
        value: output[key],
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      view[key] = output[key];
    }
  }
}
