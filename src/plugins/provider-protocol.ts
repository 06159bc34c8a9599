import type { ProviderIDFormatName } from "../contracts/index.js";

/**
 * The IaC provider methods on the plugin wire (PLUGINS.md), one table both sides
 * use: wfctl's RemoteProvider turns a call into `{wire, params}`, a plugin's
 * serveProvider turns `params` back into the call. Parameters are named as the seed's
 * JSON fields and map to the method's arguments in order (a trailing CallOptions is
 * not sent).
 */

export interface WireMethod {
  /** The JSON-RPC method name. */
  readonly wire: string;
  /** The TypeScript method of the provider or driver. */
  readonly method: string;
  /** The params' names, in the method's argument order. */
  readonly params: readonly string[];
}

const m = (wire: string, method: string, ...params: string[]): WireMethod => ({
  wire,
  method,
  params,
});

/** Provider methods every provider has. */
export const PROVIDER_METHODS: readonly WireMethod[] = [
  m("resolve_sizing", "resolveSizing", "resource_type", "size", "hints"),
  m("provider.status", "status", "resources"),
  m("provider.detect_drift", "detectDrift", "resources"),
  m("provider.import", "import", "cloud_id", "resource_type"),
  m("provider.destroy", "destroy", "resources"),
  m("provider.bootstrap_state_backend", "bootstrapStateBackend", "config"),
];

/** Provider methods of the seed's optional interfaces: present when `optional` lists them. */
export const OPTIONAL_PROVIDER_METHODS: readonly WireMethod[] = [
  m("provider.enumerate_by_tag", "enumerateByTag", "tag"),
  m("provider.enumerate_all", "enumerateAll", "resource_type"),
  m("provider.detect_drift_with_specs", "detectDriftWithSpecs", "resources", "specs"),
  m("provider.validate_plan", "validatePlan", "plan"),
  m("provider.finalize_apply", "finalizeApply", "plan_id"),
  m("provider.revoke_credential", "revokeProviderCredential", "source", "credential_id"),
  m("provider.repair_dirty_migration", "repairDirtyMigration", "request"),
];

/** Driver methods; their params also carry `resource_type`. */
export const DRIVER_METHODS: readonly WireMethod[] = [
  m("driver.create", "create", "spec"),
  m("driver.read", "read", "ref"),
  m("driver.update", "update", "ref", "spec"),
  m("driver.delete", "delete", "ref"),
  m("driver.diff", "diff", "desired", "current"),
  m("driver.health_check", "healthCheck", "ref"),
  m("driver.scale", "scale", "ref", "replicas"),
  m("driver.sensitive_keys", "sensitiveKeys"),
];

/** Optional driver methods, present as `driver.info` says (keyed by its flag). */
export const OPTIONAL_DRIVER_METHODS: Readonly<
  Record<"replacer" | "adoption" | "troubleshooter", WireMethod>
> = {
  replacer: m("driver.replace", "replace", "old_ref", "spec"),
  adoption: m("driver.adoption_ref", "adoptionRef", "spec"),
  troubleshooter: m("driver.troubleshoot", "troubleshoot", "ref", "failure_msg"),
};

/** What `driver.info` answers for a resource type. */
export interface DriverInfo {
  readonly supports_upsert: boolean;
  readonly provider_id_format: ProviderIDFormatName;
  readonly replacer: boolean;
  readonly adoption: boolean;
  readonly troubleshooter: boolean;
}

/** A call's arguments as the method's params. */
export function paramsOf(method: WireMethod, args: readonly unknown[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  method.params.forEach((name, i) => {
    params[name] = args[i] ?? null;
  });
  return params;
}

/** A method's params back as its arguments. */
export function argsOf(method: WireMethod, params: Readonly<Record<string, unknown>>): unknown[] {
  return method.params.map((name) => params[name] ?? undefined);
}
