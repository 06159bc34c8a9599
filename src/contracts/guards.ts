/**
 * Runtime shape checks shared by the contract type guards. Internal to contracts:
 * the guards test for functions by name, never `instanceof`, so an implementation
 * from another copy of the package (or a plain object) is recognised.
 */

/** True when `x` is a non-null object (arrays included). */
export function isObject(x: unknown): x is Record<PropertyKey, unknown> {
  return typeof x === "object" && x !== null;
}

/** True when `x` is an object or function carrying every named method. */
export function hasMethods(x: unknown, ...names: readonly string[]): boolean {
  if ((typeof x !== "object" && typeof x !== "function") || x === null) {
    return false;
  }
  const record = x as Record<string, unknown>;
  return names.every((name) => typeof record[name] === "function");
}
