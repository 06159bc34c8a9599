import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { WfError } from "../diagnostics/index.js";

const NAME = /^[a-z0-9][a-z0-9_]*$/;

/**
 * Writes the next migration's pair of files into `dir` (created if missing): the
 * version is one above the highest present, zero-padded like the existing files
 * (6 digits in a new folder). Returns the two paths; a dry run only names them.
 */
export async function createMigration(
  dir: string,
  name: string,
  dryRun = false,
): Promise<[string, string]> {
  const description = name
    .trim()
    .toLowerCase()
    .replaceAll(/[\s-]+/g, "_");
  if (!NAME.test(description)) {
    throw new WfError(
      "WF_ERR_USAGE",
      `migration name "${name}": use letters, digits and underscores, e.g. add_users`,
    );
  }
  const existing = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  const versions = existing.flatMap((file) => {
    const match = /^(\d+)_.+\.(?:up|down)\.sql$/.exec(file);
    return match?.[1] ? [match[1]] : [];
  });
  const highest = versions.reduce((max, v) => Math.max(max, Number(v)), 0);
  const width = versions.length > 0 ? Math.max(...versions.map((v) => v.length)) : 6;
  const version = String(highest + 1).padStart(width, "0");
  const up = path.join(dir, `${version}_${description}.up.sql`);
  const down = path.join(dir, `${version}_${description}.down.sql`);
  if (dryRun) return [up, down];
  await mkdir(dir, { recursive: true });
  // `wx`: never overwrite a file someone wrote meanwhile.
  await writeFile(up, `-- ${description}: apply\n`, { flag: "wx" });
  await writeFile(down, `-- ${description}: roll back\n`, { flag: "wx" });
  return [up, down];
}
