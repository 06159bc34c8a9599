import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../../../package-root.js";

export const SUPERVISOR_BUNDLE = "dist/local-supervisor.mjs";

/**
 * How to start the supervisor: the esbuild bundle when the package has been built,
 * else the TypeScript entry under tsx (development and tests). Paths are absolute,
 * so the command works from any working directory.
 */
export function supervisorCommand(): { command: string; args: string[] } {
  const root = packageRoot();
  const bundle = join(root, SUPERVISOR_BUNDLE);
  if (existsSync(bundle)) return { command: process.execPath, args: [bundle] };
  const tsx = createRequire(join(root, "package.json")).resolve("tsx");
  return {
    command: process.execPath,
    args: [
      "--import",
      pathToFileURL(tsx).href,
      join(root, "src/providers/local/supervisor/supervisor-main.ts"),
    ],
  };
}
