import type { CallOptions } from "./call-options.js";
import type { DriftResult } from "./drift-class.js";
import { hasMethods } from "./guards.js";
import type {
  ResourceDriver,
  ResourceOutput,
  ResourceRef,
  ResourceSpec,
} from "./iac-resource-driver.js";
import type { ProviderSizing, ResourceHints, Size } from "./iac-sizing.js";
import type { DestroyResult, IaCPlan, ResourceState } from "./iac-state.js";
import type { PlanDiagnostic } from "./plan-diagnostic.js";

/**
 * The provider contract cloud plugins implement, and the optional provider
 * capabilities. Callers probe an optional capability with its type guard and, for an
 * out-of-process provider, also treat a rejection matching
 * ErrProviderMethodUnimplemented as "does not implement": log the skip, move on.
 */

/** A resource type a provider supports. */
export interface IaCCapabilityDeclaration {
  /** E.g. `infra.database`. */
  resource_type: string;
  /** 1 = infra, 2 = shared, 3 = app. */
  tier: number;
  /** Among create, read, update, delete, scale. */
  operations: string[];
}

/** Metadata of a bootstrapped state backend (bucket or container). */
export interface BootstrapResult {
  bucket?: string;
  region?: string;
  /** S3-compatible API endpoint, if any. */
  endpoint?: string;
  /** Printed as `export KEY=VALUE` for CI capture. */
  env_vars?: Record<string, string>;
}

/** Live status of a provisioned resource. */
export interface ResourceStatus {
  name: string;
  type: string;
  provider_id: string;
  /** running, stopped, degraded or unknown. */
  status: string;
  outputs: Record<string, unknown>;
}

/**
 * The main provider contract. `name`, `version`, `capabilities`,
 * `supportedCanonicalKeys` and `resourceDriver` are answered from what the provider
 * declared at initialize, so they stay synchronous even for a plugin; everything else
 * may cross a process boundary and is async.
 */
export interface IaCProvider {
  name(): string;
  version(): string;
  initialize(config: Record<string, unknown>, opts?: CallOptions): Promise<void>;
  capabilities(): IaCCapabilityDeclaration[];
  plan(
    desired: readonly ResourceSpec[],
    current: readonly ResourceState[],
    opts?: CallOptions,
  ): Promise<IaCPlan>;
  destroy(resources: readonly ResourceRef[], opts?: CallOptions): Promise<DestroyResult>;
  status(resources: readonly ResourceRef[], opts?: CallOptions): Promise<ResourceStatus[]>;
  detectDrift(resources: readonly ResourceRef[], opts?: CallOptions): Promise<DriftResult[]>;
  import(cloudID: string, resourceType: string, opts?: CallOptions): Promise<ResourceState>;
  resolveSizing(resourceType: string, size: Size, hints?: ResourceHints): Promise<ProviderSizing>;
  /** Throws when the provider has no driver for the type. */
  resourceDriver(resourceType: string): ResourceDriver;
  /** The canonical keys this provider understands (a subset, or all 32). */
  supportedCanonicalKeys(): string[];
  /**
   * Idempotently ensures the state backend exists. Undefined from providers that do
   * not manage one (the seed's nil, nil).
   */
  bootstrapStateBackend(
    cfg: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<BootstrapResult | undefined>;
  close(): Promise<void>;
}

/**
 * Optional: lists resources by tag across the account (`infra cleanup --tag`). The
 * refs must be deletable by the same provider's driver; name + type are what matter.
 */
export interface Enumerator {
  enumerateByTag(tag: string, opts?: CallOptions): Promise<ResourceRef[]>;
}

/**
 * Optional: every resource of a type that cannot be tagged, with outputs filled so
 * callers can filter without re-reading (`infra audit-keys`, `infra prune`).
 */
export interface EnumeratorAll {
  enumerateAll(resourceType: string, opts?: CallOptions): Promise<ResourceOutput[]>;
}

/**
 * Optional: config drift on top of the existence-only classes of detectDrift.
 * `specs` is keyed by ref name and built from state's applied config; a missing entry
 * means existence-only for that ref. Return DriftClass.Config only for applied
 * configs of source `apply`.
 */
export interface DriftConfigDetector {
  detectDriftWithSpecs(
    resources: readonly ResourceRef[],
    specs: Readonly<Record<string, ResourceSpec>>,
    opts?: CallOptions,
  ): Promise<DriftResult[]>;
}

/**
 * Optional: revokes an old provider credential after its replacement is stored
 * (`infra bootstrap --force-rotate`). Resolves when revoked or already absent; a
 * rejection is logged and never rolls back the new credential.
 */
export interface ProviderCredentialRevoker {
  revokeProviderCredential(source: string, credentialID: string, opts?: CallOptions): Promise<void>;
}

/** Optional extension hook: custom plan logic replacing the default driver diff. */
export interface ProviderPlanner {
  planV2(
    desired: readonly ResourceSpec[],
    current: readonly ResourceState[],
    opts?: CallOptions,
  ): Promise<IaCPlan>;
}

/**
 * Optional: cross-resource constraint checks at plan time. Must not mutate the plan
 * or call the cloud; async only because the provider may be a plugin.
 */
export interface ProviderValidator {
  validatePlan(plan: IaCPlan): Promise<PlanDiagnostic[]>;
}

export function isIaCProvider(x: unknown): x is IaCProvider {
  return hasMethods(
    x,
    "name",
    "version",
    "initialize",
    "capabilities",
    "plan",
    "destroy",
    "status",
    "detectDrift",
    "import",
    "resolveSizing",
    "resourceDriver",
    "supportedCanonicalKeys",
    "bootstrapStateBackend",
    "close",
  );
}

export function isEnumerator(x: unknown): x is Enumerator {
  return hasMethods(x, "enumerateByTag");
}

export function isEnumeratorAll(x: unknown): x is EnumeratorAll {
  return hasMethods(x, "enumerateAll");
}

export function isDriftConfigDetector(x: unknown): x is DriftConfigDetector {
  return hasMethods(x, "detectDriftWithSpecs");
}

export function isProviderCredentialRevoker(x: unknown): x is ProviderCredentialRevoker {
  return hasMethods(x, "revokeProviderCredential");
}

export function isProviderPlanner(x: unknown): x is ProviderPlanner {
  return hasMethods(x, "planV2");
}

export function isProviderValidator(x: unknown): x is ProviderValidator {
  return hasMethods(x, "validatePlan");
}
