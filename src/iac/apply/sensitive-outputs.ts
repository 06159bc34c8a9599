import type { ResourceOutput } from "../../contracts/index.js";

/**
 * The output keys of `output` whose values must be masked, sorted: those the output
 * marks `sensitive`, plus the driver's SensitiveKeys. Values stay in state (its files
 * are private to the user); this is what views mask unless `--show-sensitive`.
 */
export function sensitiveOutputKeys(
  output: Pick<ResourceOutput, "outputs" | "sensitive">,
  driverKeys: readonly string[],
): string[] {
  const marked = new Set(driverKeys);
  for (const [key, flag] of Object.entries(output.sensitive ?? {})) if (flag) marked.add(key);
  return Object.keys(output.outputs)
    .filter((key) => marked.has(key))
    .sort();
}

/** The sensitive keys as ResourceOutput's `sensitive` map. */
export function sensitiveMap(keys: readonly string[]): Record<string, boolean> {
  return Object.fromEntries(keys.map((k) => [k, true]));
}
