import { statSync } from "node:fs";
import path from "node:path";

/** Looked for in this order when no `-c FILE` is given. */
export const DEFAULT_CONFIG_FILES = ["wfctl.yaml", "infra.yaml", "config/infra.yaml"] as const;

/** The absolute path of the first default config file present in `cwd`, if any. */
export function findConfigFile(cwd: string): string | undefined {
  for (const name of DEFAULT_CONFIG_FILES) {
    const candidate = path.resolve(cwd, name);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    // ENOTDIR, EACCES: not a usable config file here.
    return false;
  }
}
