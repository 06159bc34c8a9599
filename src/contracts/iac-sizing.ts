import { ErrValidation, WrappedSentinelError } from "./iac-errors.js";

/** Abstract sizing tiers; providers map them to concrete instance types. */
export const sizes = Object.freeze(["xs", "s", "m", "l", "xl"] as const);
export type Size = (typeof sizes)[number];

// The seed's constant names.
export const SizeXS = "xs";
export const SizeS = "s";
export const SizeM = "m";
export const SizeL = "l";
export const SizeXL = "xl";

export function isSize(x: unknown): x is Size {
  return typeof x === "string" && (sizes as readonly string[]).includes(x);
}

/** Concrete resource values for one size tier. */
export interface SizingDefaults {
  cpu: string;
  memory: string;
  db_storage: string;
  cache_memory: string;
}

/** Optional fine-grained overrides on top of the size tier. */
export interface ResourceHints {
  cpu?: string;
  memory?: string;
  /** Applied to the tier's DB storage. */
  storage?: string;
}

/** The concrete sizing a provider resolved for a resource type. */
export interface ProviderSizing {
  instance_type: string;
  specs: Record<string, unknown>;
}

/** Default allocations per size tier (the seed's table). */
export const SizingMap: Readonly<Record<Size, Readonly<SizingDefaults>>> = Object.freeze({
  xs: Object.freeze({ cpu: "0.25", memory: "512Mi", db_storage: "10Gi", cache_memory: "256Mi" }),
  s: Object.freeze({ cpu: "1", memory: "2Gi", db_storage: "50Gi", cache_memory: "1Gi" }),
  m: Object.freeze({ cpu: "2", memory: "4Gi", db_storage: "100Gi", cache_memory: "4Gi" }),
  l: Object.freeze({ cpu: "4", memory: "16Gi", db_storage: "500Gi", cache_memory: "16Gi" }),
  xl: Object.freeze({ cpu: "8", memory: "32Gi", db_storage: "1Ti", cache_memory: "64Gi" }),
});

/**
 * The tier's defaults with non-empty hints applied (cpu, memory, and storage onto
 * db_storage); a fresh object. An unknown tier throws `unknown size tier "q"`, an
 * error that also matches ErrValidation.
 */
export function resolveSizing(size: string, hints?: ResourceHints): SizingDefaults {
  if (!isSize(size)) {
    throw new WrappedSentinelError(ErrValidation, `unknown size tier ${JSON.stringify(size)}`);
  }
  const resolved: SizingDefaults = { ...SizingMap[size] };
  if (hints?.cpu) {
    resolved.cpu = hints.cpu;
  }
  if (hints?.memory) {
    resolved.memory = hints.memory;
  }
  if (hints?.storage) {
    resolved.db_storage = hints.storage;
  }
  return resolved;
}
