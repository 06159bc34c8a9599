import {
  type ActionOutcome,
  type ActionOutcomeJSON,
  actionOutcomeFromJSON,
  actionOutcomeToJSON,
} from "./action-status.js";
import type { CallOptions } from "./call-options.js";
import type { FieldChange, ResourceOutput, ResourceSpec } from "./iac-resource-driver.js";

/**
 * Persisted IaC records (resource state, plans) and the results of applying and
 * destroying them, plus the store contract that keeps them. Property names are the
 * seed's JSON names; times are RFC 3339 strings.
 */

/** What a plan action does to its resource. */
export const planActionKinds = Object.freeze(["create", "update", "replace", "delete"] as const);
export type PlanActionKind = (typeof planActionKinds)[number];

export function isPlanActionKind(x: unknown): x is PlanActionKind {
  return typeof x === "string" && (planActionKinds as readonly string[]).includes(x);
}

/**
 * Provenance of `applied_config`: `apply` = the user's ResourceSpec.config;
 * `adoption` = reflowed from live outputs, so config drift must not be computed on it.
 */
export const appliedConfigSources = Object.freeze(["apply", "adoption"] as const);
export type AppliedConfigSource = (typeof appliedConfigSources)[number];

/** Persisted state of one managed resource. */
export interface ResourceState {
  id: string;
  name: string;
  type: string;
  provider: string;
  provider_ref?: string;
  provider_id: string;
  config_hash: string;
  applied_config: Record<string, unknown>;
  /** Absent in legacy state; read it through {@link effectiveAppliedConfigSource}. */
  applied_config_source?: AppliedConfigSource;
  outputs: Record<string, unknown>;
  dependencies: string[];
  created_at: string;
  updated_at: string;
  last_drift_check?: string;
}

/** The seed's rule: a missing or empty source counts as `adoption` (the safe default). */
export function effectiveAppliedConfigSource(state: ResourceState): AppliedConfigSource {
  return state.applied_config_source === "apply" ? "apply" : "adoption";
}

/** Name and version of an IaC provider plugin installed when a plan was made. */
export interface PluginVersionInfo {
  readonly name: string;
  readonly version?: string;
}

/** The toolchain that produced a plan or state operation. */
export interface GeneratorMetadata {
  readonly wfctl_version: string;
  /** Every provider plugin installed at the time, used or not. */
  readonly plugins?: readonly PluginVersionInfo[];
}

/** One planned change. */
export interface PlanAction {
  readonly action: PlanActionKind;
  readonly resource: ResourceSpec;
  readonly current?: ResourceState;
  readonly changes?: readonly FieldChange[];
  /**
   * Lower-case hex SHA-256 of the post-substitution config, absent when the config
   * is empty: treat "absent" and "" alike.
   */
  readonly resolved_config_hash?: string;
}

/** A complete execution plan. Immutable once computed. */
export interface IaCPlan {
  readonly id: string;
  readonly actions: readonly PlanAction[];
  readonly created_at: string;
  /**
   * The seed's DesiredHash: SHA-256 hex of the sorted desired specs, compared by
   * `apply --plan` to detect a stale plan.
   */
  readonly plan_hash?: string;
  /** Sorted resource names of `plan --include`; absent for the full set. */
  readonly include?: readonly string[];
  /** Bumped when the on-disk plan format changes. */
  readonly schema_version?: number;
  /** Env var name → 16-hex sha256 prefix of its value, for vars set at plan time. */
  readonly input_snapshot?: Readonly<Record<string, string>>;
  readonly generator_metadata?: GeneratorMetadata;
}

/** An env var whose fingerprint changed between plan and apply. */
export interface DriftEntry {
  name: string;
  plan_fingerprint: string;
  apply_fingerprint: string;
}

/** A resource-level error during apply or destroy. */
export interface ActionError {
  resource: string;
  action: string;
  error: string;
}

/** Outcome of applying a plan (actions carry numeric statuses, as on the plugin wire). */
export interface ApplyResult {
  plan_id: string;
  resources: ResourceOutput[];
  errors?: ActionError[];
  /** Env-var fingerprints taken at the start of apply. */
  initial_input_snapshot?: Record<string, string>;
  /** Env vars whose fingerprint changed since plan, sorted by name. */
  input_drift_report?: DriftEntry[];
  /** Replaced resource name → its new provider ID, for dependents applied later. */
  replace_id_map?: Record<string, string>;
  /** One outcome per plan action, matched by action_index. */
  actions?: ActionOutcome[];
}

/** The CLI's JSON form of an ApplyResult: action statuses by name. */
export interface ApplyResultJSON extends Omit<ApplyResult, "actions"> {
  actions?: ActionOutcomeJSON[];
}

export function applyResultToJSON(r: ApplyResult): ApplyResultJSON {
  const { actions, ...rest } = r;
  return actions === undefined ? rest : { ...rest, actions: actions.map(actionOutcomeToJSON) };
}

/** Throws a RangeError when an action status name is unknown. */
export function applyResultFromJSON(j: ApplyResultJSON): ApplyResult {
  const { actions, ...rest } = j;
  return actions === undefined ? rest : { ...rest, actions: actions.map(actionOutcomeFromJSON) };
}

/** Outcome of a destroy. */
export interface DestroyResult {
  destroyed: string[];
  errors?: ActionError[];
}

/** Returned by IaCStateStore.lock; releases the lock. */
export interface IaCLockHandle {
  unlock(opts?: CallOptions): Promise<void>;
  /**
   * Not in the seed (its body is not shown): who holds the lock and until when
   * (RFC 3339), for "state is locked by ..." messages. Stores fill them when known.
   */
  readonly holder?: string;
  readonly expiresAt?: string;
}

/** Persistent state for managed resources and saved plans. */
export interface IaCStateStore {
  saveResource(state: ResourceState, opts?: CallOptions): Promise<void>;
  /** Undefined when no resource has that name. */
  getResource(name: string, opts?: CallOptions): Promise<ResourceState | undefined>;
  listResources(opts?: CallOptions): Promise<ResourceState[]>;
  deleteResource(name: string, opts?: CallOptions): Promise<void>;
  savePlan(plan: IaCPlan, opts?: CallOptions): Promise<void>;
  /** Undefined when no plan has that ID. */
  getPlan(id: string, opts?: CallOptions): Promise<IaCPlan | undefined>;
  /** Takes the lock on `resource` for `ttlMs` milliseconds (the seed's ttl Duration). */
  lock(resource: string, ttlMs: number, opts?: CallOptions): Promise<IaCLockHandle>;
  close(): Promise<void>;
}
