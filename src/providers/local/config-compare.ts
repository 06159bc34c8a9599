import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { FieldChange } from "../../contracts/index.js";
import { isRecord } from "../../is-record.js";

/**
 * How the local provider compares a desired config with the one it applied. Secret
 * values are never kept: `resource.json` holds their SHA-256 instead.
 */

/** Keys whose values are secrets, stored and compared hashed. */
const SECRET_KEYS = new Set(["env_vars_secret"]);

/** Keys that change nothing in the running resource. */
export const BOOKKEEPING_KEYS = new Set(["tags", "protected"]);

const canonical = (value: unknown): string => canonicalize(value) ?? "null";

const hashValue = (value: unknown): string =>
  typeof value === "string" && value.startsWith("sha256:")
    ? value
    : `sha256:${createHash("sha256").update(String(value)).digest("hex")}`;

/** The config as `resource.json` records it: secret values hashed. */
export function recordedConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      SECRET_KEYS.has(key) ? hashSecrets(value) : value,
    ]),
  );
}

function hashSecrets(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      isUnresolved(v) ? v : hashValue(v),
    ]),
  );
}

/**
 * At plan time `${VAR}` in apply-time keys is not resolved yet: such a string
 * stands for any value, so it never shows as a change.
 */
function isUnresolved(value: unknown): boolean {
  return typeof value === "string" && /\$\{[^}]+\}/.test(value);
}

function matches(desired: unknown, applied: unknown): boolean {
  if (isUnresolved(desired)) return true;
  if (Array.isArray(desired) && Array.isArray(applied)) {
    return desired.length === applied.length && desired.every((d, i) => matches(d, applied[i]));
  }
  if (isRecord(desired) && isRecord(applied)) {
    const keys = new Set([...Object.keys(desired), ...Object.keys(applied)]);
    return [...keys].every((k) => matches(desired[k], applied[k]));
  }
  return canonical(desired) === canonical(applied);
}

/** One change per top-level key that differs; `forceNew` keys need a replacement. */
export function configChanges(
  desired: Readonly<Record<string, unknown>>,
  applied: Readonly<Record<string, unknown>>,
  forceNew: ReadonlySet<string>,
): FieldChange[] {
  const want = recordedConfig(desired);
  const keys = [...new Set([...Object.keys(want), ...Object.keys(applied)])].sort();
  return keys
    .filter((key) => !matches(want[key], applied[key]))
    .map((key) => ({
      path: key,
      old: SECRET_KEYS.has(key) ? "(sensitive)" : (applied[key] ?? null),
      new: SECRET_KEYS.has(key) ? "(sensitive)" : (want[key] ?? null),
      force_new: forceNew.has(key),
    }));
}

/** True when the two configs differ in a key that affects the running resource. */
export function runtimeChanged(
  desired: Readonly<Record<string, unknown>>,
  applied: Readonly<Record<string, unknown>>,
): boolean {
  return configChanges(desired, applied, new Set()).some((c) => !BOOKKEEPING_KEYS.has(c.path));
}
