import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface Manifest {
  readonly name?: string;
  readonly version?: string;
}

let found: { root: string; manifest: Manifest } | undefined;

/**
 * The folder of the package.json named "wfctl" above this module, which runs from
 * src/ in development and from dist/ when bundled.
 */
export function packageRoot(): string {
  return locate().root;
}

/** The package.json of that folder. */
export function packageManifest(): Manifest {
  return locate().manifest;
}

function locate(): { root: string; manifest: Manifest } {
  if (found) return found;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
      if (manifest.name === "wfctl") {
        found = { root: dir, manifest };
        return found;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the wfctl package above ${import.meta.url}`);
    dir = parent;
  }
}

/** How to run this installation's `wfctl` executable from another process. */
export function wfctlCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [path.join(packageRoot(), "bin", "wfctl.js")] };
}
