/**
 * How the drift between IaC state and the cloud is classified, as `wfctl infra drift`
 * reports it and `apply --refresh` acts on it.
 */

export const DriftClass = Object.freeze({
  /** Zero value, kept for results serialised before the class existed. Omitted in JSON. */
  Unknown: "",
  /** State and cloud agree. */
  InSync: "in-sync",
  /** State has the resource; the cloud's read said not found. `apply --refresh` prunes it. */
  Ghost: "ghost",
  /** Both have the resource but the configs differ; a normal apply reconciles it. */
  Config: "config",
} as const);
export type DriftClass = (typeof DriftClass)[keyof typeof DriftClass];

// The seed's constant names.
export const DriftClassUnknown = DriftClass.Unknown;
export const DriftClassInSync = DriftClass.InSync;
export const DriftClassGhost = DriftClass.Ghost;
export const DriftClassConfig = DriftClass.Config;

export const driftClasses = Object.freeze(["", "in-sync", "ghost", "config"] as const);

export function isDriftClass(x: unknown): x is DriftClass {
  return typeof x === "string" && (driftClasses as readonly string[]).includes(x);
}

/** Drift between declared and actual state of one resource. */
export interface DriftResult {
  name: string;
  type: string;
  drifted: boolean;
  /** Omitted when Unknown. */
  class?: DriftClass;
  expected?: Record<string, unknown>;
  actual?: Record<string, unknown>;
  /** Which fields drifted. */
  fields?: string[];
}
