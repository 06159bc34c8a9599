import type { CallOptions } from "./call-options.js";
import { hasMethods } from "./guards.js";
import type { ResourceHints, Size } from "./iac-sizing.js";

/**
 * Per-resource-type CRUD inside a provider, the shapes it exchanges, and the optional
 * driver capabilities callers probe with type guards. Every driver method is async
 * because a driver may live in a plugin process.
 */

/** Desired state of one resource. */
export interface ResourceSpec {
  name: string;
  /** Resource type, e.g. `infra.container_service`. */
  type: string;
  config: Record<string, unknown>;
  size?: Size;
  hints?: ResourceHints;
  depends_on?: string[];
}

/** A lightweight reference to an existing resource. */
export interface ResourceRef {
  name: string;
  type: string;
  /** May be empty: drivers that support upsert locate by name + type. */
  provider_id?: string;
}

/** The concrete output of a provisioned or read resource. */
export interface ResourceOutput {
  name: string;
  type: string;
  provider_id: string;
  /** IPs, endpoints, connection strings... */
  outputs: Record<string, unknown>;
  /** Output keys whose values are sensitive. */
  sensitive?: Record<string, boolean>;
  status: string;
}

/** One field-level difference. */
export interface FieldChange {
  path: string;
  old: unknown;
  new: unknown;
  /** The change requires replacing the resource. */
  force_new: boolean;
}

/** Differences between desired and actual state. */
export interface DiffResult {
  needs_update: boolean;
  needs_replace: boolean;
  changes: FieldChange[];
}

/** Outcome of a resource health check. */
export interface HealthResult {
  healthy: boolean;
  message?: string;
}

/** A recent provider-side event explaining a failure (from a Troubleshooter). */
export interface Diagnostic {
  /** Provider-side identifier, e.g. a deployment ID. */
  id: string;
  /** Terminal or current phase. */
  phase: string;
  /** Human-readable root cause or error summary. */
  cause: string;
  /** When the event was created or last updated (RFC 3339). */
  at: string;
  /** Optional verbose tail: log excerpt, stack. */
  detail?: string;
}

/** CRUD for one resource type within a provider. */
export interface ResourceDriver {
  create(spec: ResourceSpec, opts?: CallOptions): Promise<ResourceOutput>;
  /** Rejects with an error matching ErrResourceNotFound when the resource is gone. */
  read(ref: ResourceRef, opts?: CallOptions): Promise<ResourceOutput>;
  update(ref: ResourceRef, spec: ResourceSpec, opts?: CallOptions): Promise<ResourceOutput>;
  delete(ref: ResourceRef, opts?: CallOptions): Promise<void>;
  /** `current` is undefined when nothing exists yet. */
  diff(
    desired: ResourceSpec,
    current: ResourceOutput | undefined,
    opts?: CallOptions,
  ): Promise<DiffResult>;
  healthCheck(ref: ResourceRef, opts?: CallOptions): Promise<HealthResult>;
  scale(ref: ResourceRef, replicas: number, opts?: CallOptions): Promise<ResourceOutput>;
  /** Output keys whose values are masked in logs and plan output. */
  sensitiveKeys(): Promise<string[]>;
}

/**
 * Optional: called when a health-check poll times out or a deploy fails generically,
 * to surface provider-side context. Returns the most recent relevant events, newest
 * first. A rejection is non-fatal: wfctl logs it and keeps the original failure.
 */
export interface Troubleshooter {
  troubleshoot(ref: ResourceRef, failureMsg: string, opts?: CallOptions): Promise<Diagnostic[]>;
}

/**
 * Optional: resolves a desired spec to a live resource before local state exists, so
 * apply adopts it instead of creating a duplicate. Undefined when there is none (the
 * seed's `ok == false`).
 */
export interface ResourceAdoptionLocator {
  adoptionRef(spec: ResourceSpec): Promise<ResourceRef | undefined>;
}

/**
 * Optional: a Replace that needs more than delete-then-create (single-attach
 * dependents such as volumes). The driver gets the old ref and the new spec and owns
 * the whole transition; sub-step errors should name the step.
 */
export interface ResourceReplacer {
  replace(oldRef: ResourceRef, spec: ResourceSpec, opts?: CallOptions): Promise<ResourceOutput>;
}

/**
 * Optional: `read` can locate a resource by name + type alone (empty provider_id), so
 * a create that hits ErrResourceAlreadyExists recovers by read + update. Return true
 * only when that read really works without an ID.
 */
export interface UpsertSupporter {
  supportsUpsert(): Promise<boolean>;
}

export function isResourceDriver(x: unknown): x is ResourceDriver {
  return hasMethods(
    x,
    "create",
    "read",
    "update",
    "delete",
    "diff",
    "healthCheck",
    "scale",
    "sensitiveKeys",
  );
}

export function isTroubleshooter(x: unknown): x is Troubleshooter {
  return hasMethods(x, "troubleshoot");
}

export function isResourceAdoptionLocator(x: unknown): x is ResourceAdoptionLocator {
  return hasMethods(x, "adoptionRef");
}

export function isResourceReplacer(x: unknown): x is ResourceReplacer {
  return hasMethods(x, "replace");
}

export function isUpsertSupporter(x: unknown): x is UpsertSupporter {
  return hasMethods(x, "supportsUpsert");
}
