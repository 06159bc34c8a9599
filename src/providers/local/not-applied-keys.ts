/**
 * Config keys the local provider accepts but does not act on, per resource type:
 * they describe a cloud (images, domains, networks) or features still to come. Plan
 * shows a warning for each one set, so nobody believes they took effect.
 */
const SERVICE_KEYS = [
  "region",
  "image",
  "dockerfile_path",
  "internal_ports",
  "protocol",
  "size",
  "vpc_ref",
  "domains",
  "egress",
  "alerts",
  "maintenance",
  "sidecars",
  "static_sites",
  "provider_specific",
];

export const NOT_APPLIED_KEYS: Readonly<Record<string, readonly string[]>> = {
  "infra.container_service": SERVICE_KEYS,
  "infra.database": ["region", "size", "vpc_ref", "version", "maintenance", "alerts"],
  "infra.static_site": ["region", "size", "routes", "cors", "domains", "alerts"],
};

/** The keys of `config` the local provider does not apply for `type`. */
export function notAppliedKeys(type: string, config: Readonly<Record<string, unknown>>): string[] {
  const keys = (NOT_APPLIED_KEYS[type] ?? []).filter((key) => config[key] !== undefined);
  if (type !== "infra.container_service") return keys;
  // Autoscaling follows CPU only; ingress rules would route to workers, which have no ports.
  const autoscaling = config.autoscaling as { memory_percent?: unknown } | undefined;
  if (autoscaling?.memory_percent !== undefined) keys.push("autoscaling.memory_percent");
  const ingress = config.ingress as { rules?: unknown[] } | undefined;
  if (ingress?.rules?.length) keys.push("ingress.rules");
  return keys;
}
