/**
 * `wfctl plugin install`: a plugin from a folder or a tarball (.tgz, .tar.gz, .tar)
 * into the plugin directory. A tarball's sha256 is checked before anything is
 * written, installed `install_verify` handlers see it next, and only then is it
 * unpacked — into a scratch folder inside the plugin directory, refusing absolute
 * paths, `..`, links leading outside and more than `maxBytes` — and moved into place
 * in one rename. A failure at any step leaves the plugin directory as it was.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import path from "node:path";
import { WfError } from "../diagnostics/index.js";
import { fileSha256 } from "../file-sha256.js";
import { type HookFailure, runHooks } from "./hook-runner.js";
import { type InstalledPlugin, listPlugins } from "./plugin-directory.js";
import { MANIFEST_FILE, readPluginManifest } from "./plugin-manifest.js";

export interface InstallOptions {
  /** The plugin directory. */
  readonly dir: string;
  /** The tarball's expected sha256, hex. */
  readonly sha256?: string;
  /** Most bytes a tarball may unpack to (default 256 MiB). */
  readonly maxBytes?: number;
  readonly onWarning?: (failure: HookFailure) => void;
}

export interface Installation {
  readonly plugin: InstalledPlugin;
  /** The tarball's sha256 (undefined for a folder). */
  readonly sha256: string | undefined;
  /** True when it replaced an installed plugin of the same name. */
  readonly replaced: boolean;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export async function installPlugin(
  source: string,
  options: InstallOptions,
): Promise<Installation> {
  if (!existsSync(source)) throw new WfError("WF_ERR_PLUGIN", `${source}: no such file or folder`);
  const folder = statSync(source).isDirectory();
  if (folder && options.sha256 !== undefined) {
    throw new WfError("WF_ERR_USAGE", "--sha256 verifies a tarball; the source is a folder");
  }
  const sha256 = folder ? undefined : await fileSha256(source);
  if (
    sha256 !== undefined &&
    options.sha256 !== undefined &&
    sha256 !== options.sha256.toLowerCase()
  ) {
    throw new WfError(
      "WF_ERR_PLUGIN",
      `${source}: sha256 is ${sha256}, not the expected ${options.sha256.toLowerCase()}; nothing was installed`,
    );
  }
  if (!folder) await verify(source, options);
  mkdirSync(options.dir, { recursive: true });
  const scratch = mkdtempSync(path.join(options.dir, ".installing-"));
  try {
    // Unpacked beside (not into) the place an installed plugin is moved aside to.
    const unpacked = path.join(scratch, "unpacked");
    if (folder) cpSync(source, unpacked, { recursive: true, verbatimSymlinks: true });
    else {
      mkdirSync(unpacked);
      await unpack(source, unpacked, options.maxBytes ?? DEFAULT_MAX_BYTES);
    }
    const root = pluginRoot(unpacked, source);
    const manifest = readPluginManifest(root);
    const target = path.join(options.dir, manifest.name);
    const replaced = existsSync(target);
    moveIntoPlace(root, target, path.join(scratch, "previous"));
    return { plugin: { dir: target, manifest }, sha256, replaced };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The installed plugins' `install_verify` handlers; a `fail` one refusing stops the install. */
async function verify(tarball: string, options: InstallOptions): Promise<void> {
  const { failure } = await runHooks(
    listPlugins(options.dir).plugins,
    "install_verify",
    { tarball_path: path.resolve(tarball) },
    {
      buildId: `install-${Date.now()}`,
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    },
  );
  if (failure) {
    throw new WfError(
      "WF_ERR_PLUGIN",
      `install_verify: plugin "${failure.plugin}" refused ${tarball}: ${failure.message}; nothing was installed`,
    );
  }
}

/** Unpacks after checking every entry: no absolute path, no `..`, no link leading out, a size limit. */
async function unpack(tarball: string, into: string, maxBytes: number): Promise<void> {
  const tar = await import("tar");
  let total = 0;
  const problems: string[] = [];
  await tar.t({
    file: tarball,
    onReadEntry: (entry) => {
      const name = entry.path;
      if (path.isAbsolute(name) || name.split(/[\\/]/).includes("..")) {
        problems.push(`${name}: a path outside the plugin`);
      }
      if (entry.type === "SymbolicLink" || entry.type === "Link") {
        const base = entry.type === "Link" ? "" : path.dirname(name);
        const resolved = path.normalize(path.join(base, entry.linkpath ?? ""));
        if (path.isAbsolute(entry.linkpath ?? "") || resolved.split(/[\\/]/)[0] === "..") {
          problems.push(`${name}: a link to ${entry.linkpath}, outside the plugin`);
        }
      }
      total += entry.size ?? 0;
    },
  });
  if (problems.length > 0) {
    throw new WfError(
      "WF_ERR_PLUGIN",
      `${tarball} is refused: ${problems.join("; ")}; nothing was installed`,
    );
  }
  if (total > maxBytes) {
    throw new WfError(
      "WF_ERR_PLUGIN",
      `${tarball} unpacks to ${total} bytes, more than the ${maxBytes} allowed; nothing was installed`,
    );
  }
  await tar.x({ file: tarball, cwd: into, strict: true, preservePaths: false });
}

/** The unpacked plugin: plugin.json at the top, or in the one folder there. */
function pluginRoot(unpacked: string, source: string): string {
  if (existsSync(path.join(unpacked, MANIFEST_FILE))) return unpacked;
  const entries = readdirSync(unpacked, { withFileTypes: true });
  const only =
    entries.length === 1 && entries[0]?.isDirectory()
      ? path.join(unpacked, entries[0].name)
      : undefined;
  if (only && existsSync(path.join(only, MANIFEST_FILE))) return only;
  throw new WfError(
    "WF_ERR_PLUGIN",
    `${source} has no ${MANIFEST_FILE} at its top or in its one folder`,
  );
}

/** `root` becomes `target`; an installed plugin there is moved aside first and back on failure. */
function moveIntoPlace(root: string, target: string, aside: string): void {
  const replacing = existsSync(target);
  if (replacing) renameSync(target, aside);
  try {
    renameSync(root, target);
  } catch (err) {
    if (replacing) renameSync(aside, target);
    throw err;
  }
}
