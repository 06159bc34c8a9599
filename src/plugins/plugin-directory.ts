/**
 * Where plugins live (PLUGINS.md): `--plugin-dir`, else `$WFCTL_PLUGIN_DIR`, else
 * `.wfctl/plugins` next to the config. One folder per plugin, named as the plugin.
 */
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { WfError } from "../diagnostics/index.js";
import { MANIFEST_FILE, type PluginManifest, readPluginManifest } from "./plugin-manifest.js";

export interface PluginDirOptions {
  readonly flag?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The config's folder (or the working directory when there is no config). */
  readonly configDir: string;
  readonly cwd: string;
}

export function pluginDir(options: PluginDirOptions): string {
  if (options.flag) return path.resolve(options.cwd, options.flag);
  const fromEnv = options.env.WFCTL_PLUGIN_DIR;
  if (fromEnv) return path.resolve(options.cwd, fromEnv);
  return path.join(options.configDir, ".wfctl", "plugins");
}

export interface InstalledPlugin {
  readonly dir: string;
  readonly manifest: PluginManifest;
}

/** A folder in the plugin directory that is not a usable plugin, and why. */
export interface BrokenPlugin {
  readonly dir: string;
  readonly error: string;
}

/** The plugins in `dir` by name; folders without a manifest are not plugins and are skipped. */
export function listPlugins(dir: string): { plugins: InstalledPlugin[]; broken: BrokenPlugin[] } {
  const plugins: InstalledPlugin[] = [];
  const broken: BrokenPlugin[] = [];
  if (!existsSync(dir)) return { plugins, broken };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const folder = path.join(dir, entry.name);
    if (!entry.isDirectory() || !existsSync(path.join(folder, MANIFEST_FILE))) continue;
    try {
      const manifest = readPluginManifest(folder);
      if (manifest.name !== entry.name) {
        broken.push({
          dir: folder,
          error: `its manifest names it "${manifest.name}", not "${entry.name}"`,
        });
      } else {
        plugins.push({ dir: folder, manifest });
      }
    } catch (err) {
      broken.push({ dir: folder, error: (err as Error).message });
    }
  }
  plugins.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
  return { plugins, broken };
}

/**
 * Removes plugin `name` from `dir`: renamed out of the plugin directory first, so a
 * failure half-way leaves no half-removed plugin where wfctl looks for plugins.
 */
export function removePlugin(dir: string, name: string): void {
  const folder = path.join(dir, name);
  if (
    name.includes("/") ||
    name.includes("\\") ||
    name.startsWith(".") ||
    !existsSync(path.join(folder, MANIFEST_FILE))
  ) {
    const installed = listPlugins(dir).plugins.map((p) => p.manifest.name);
    throw new WfError(
      "WF_ERR_PLUGIN",
      `no plugin "${name}" in ${dir}${installed.length > 0 ? ` (installed: ${installed.join(", ")})` : ""}`,
    );
  }
  const doomed = path.join(dir, `.removing-${name}-${process.pid}`);
  renameSync(folder, doomed);
  rmSync(doomed, { recursive: true, force: true });
}
