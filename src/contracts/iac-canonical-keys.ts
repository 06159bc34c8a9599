/**
 * The canonical IaC config keys: the standard field names every provider uses to
 * describe an application resource. Providers may support a subset
 * (`supportedCanonicalKeys()`); callers warn on keys a provider does not know.
 */

export const KeyName = "name";
export const KeyRegion = "region";
export const KeyImage = "image";
export const KeyHTTPPort = "http_port";
export const KeyInternalPorts = "internal_ports";
export const KeyProtocol = "protocol";
export const KeyInstanceCount = "instance_count";
export const KeySize = "size";
export const KeyEnvVars = "env_vars";
export const KeyEnvVarsSecret = "env_vars_secret";
export const KeyVPCRef = "vpc_ref";
export const KeyAutoscaling = "autoscaling";
export const KeyRoutes = "routes";
export const KeyCORS = "cors";
export const KeyDomains = "domains";
export const KeyHealthCheck = "health_check";
export const KeyLivenessCheck = "liveness_check";
export const KeyIngress = "ingress";
export const KeyEgress = "egress";
export const KeyAlerts = "alerts";
export const KeyLogDestinations = "log_destinations";
export const KeyTermination = "termination";
export const KeyMaintenance = "maintenance";
export const KeyJobs = "jobs";
export const KeyWorkers = "workers";
export const KeyStaticSites = "static_sites";
export const KeySidecars = "sidecars";
export const KeyBuildCommand = "build_command";
export const KeyRunCommand = "run_command";
export const KeyDockerfilePath = "dockerfile_path";
export const KeySourceDir = "source_dir";
export const KeyProviderSpecific = "provider_specific";

// In the seed's order; canonicalKeys() hands out copies.
const allCanonicalKeys = Object.freeze([
  KeyName,
  KeyRegion,
  KeyImage,
  KeyHTTPPort,
  KeyInternalPorts,
  KeyProtocol,
  KeyInstanceCount,
  KeySize,
  KeyEnvVars,
  KeyEnvVarsSecret,
  KeyVPCRef,
  KeyAutoscaling,
  KeyRoutes,
  KeyCORS,
  KeyDomains,
  KeyHealthCheck,
  KeyLivenessCheck,
  KeyIngress,
  KeyEgress,
  KeyAlerts,
  KeyLogDestinations,
  KeyTermination,
  KeyMaintenance,
  KeyJobs,
  KeyWorkers,
  KeyStaticSites,
  KeySidecars,
  KeyBuildCommand,
  KeyRunCommand,
  KeyDockerfilePath,
  KeySourceDir,
  KeyProviderSpecific,
] as const);
export type CanonicalKey = (typeof allCanonicalKeys)[number];

const canonicalKeySet: ReadonlySet<string> = new Set(allCanonicalKeys);

/** All 32 canonical keys in the seed's order; a fresh array each call. */
export function canonicalKeys(): CanonicalKey[] {
  return [...allCanonicalKeys];
}

/** Takes unknown so decoded JSON can be checked directly. */
export function isCanonicalKey(key: unknown): key is CanonicalKey {
  return typeof key === "string" && canonicalKeySet.has(key);
}
