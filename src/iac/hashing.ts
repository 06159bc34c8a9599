import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { ResourceSpec } from "../contracts/index.js";

/**
 * The seed's hashes. Values are serialised as RFC 8785 canonical JSON (keys sorted at
 * every depth), so a hash depends only on content, never on key order.
 */

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const canonical = (value: unknown): string => canonicalize(value) ?? "null";

/**
 * ConfigHash / ResolvedConfigHash: "" for an empty config, else sha256 of
 * `[{"K":key,"V":value},…]` over the top-level keys in sorted order.
 */
export function configHash(config: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(config).sort();
  if (keys.length === 0) return "";
  return sha256(canonical(keys.map((k) => ({ K: k, V: config[k] }))));
}

/** DesiredHash (`plan_hash`): sha256 of the specs sorted by name; `[]` when there are none. */
export function desiredHash(specs: readonly ResourceSpec[]): string {
  const sorted = [...specs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256(canonical(sorted));
}

/** An env var's fingerprint: the first 16 hex characters of sha256(value). */
export function inputFingerprint(value: string): string {
  return sha256(value).slice(0, 16);
}

/** InputSnapshot: a fingerprint for each named variable that is set; unset ones are left out. */
export function inputSnapshot(
  names: Iterable<string>,
  environ: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const snapshot: Record<string, string> = {};
  for (const name of [...new Set(names)].sort()) {
    const value = Object.hasOwn(environ, name) ? environ[name] : undefined;
    if (value !== undefined) snapshot[name] = inputFingerprint(value);
  }
  return snapshot;
}
