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
  "infra.database": ["region", "size", "version"],
  "infra.static_site": ["region", "domains"],
};

/** The keys of `config` the local provider does not apply for `type`. */
export function notAppliedKeys(type: string, config: Readonly<Record<string, unknown>>): string[] {
  const keys = (NOT_APPLIED_KEYS[type] ?? []).filter((key) => config[key] !== undefined);
  if (type !== "infra.container_service") return keys;
  // Autoscaling follows CPU only.
  const autoscaling = config.autoscaling as { memory_percent?: unknown } | undefined;
  if (autoscaling?.memory_percent !== undefined) keys.push("autoscaling.memory_percent");
  return keys;
}
