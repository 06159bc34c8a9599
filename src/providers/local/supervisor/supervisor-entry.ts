import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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

/** The folder of the package.json named "wfctl" above this module (source or bundle). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      if (name === "wfctl") return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the wfctl package above ${import.meta.url}`);
    dir = parent;
  }
}
