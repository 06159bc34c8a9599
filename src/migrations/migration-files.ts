import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { MigrationSource } from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";

/** `<version>_<description>.up.sql` / `.down.sql` (golang-migrate's convention). */
const FILE_NAME = /^(\d+)_([^/\\]+)\.(up|down)\.sql$/;

/** A first-lines comment that runs the file outside a transaction. */
const NO_TRANSACTION = /^\s*--\s*wfctl:no-transaction\s*$/m;

export interface MigrationFile {
  /** As the user knows it: `migrations/3_add_users.up.sql` (or the name alone, in memory). */
  readonly display: string;
  readonly sql: string;
  /** sha256 of the file's bytes, hex. */
  readonly checksum: string;
  /** `-- wfctl:no-transaction` among its leading comment lines. */
  readonly noTransaction: boolean;
}

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: MigrationFile;
  readonly down: MigrationFile | undefined;
}

/** The migrations of one source, in version order. */
export interface MigrationSet {
  /** Where they come from, for messages. */
  readonly origin: string;
  readonly migrations: readonly Migration[];
}

/**
 * Reads a source's migrations. Versions are integers compared numerically; a
 * `.sql` file whose name does not follow the convention, two files for one version
 * and direction, or a down file without its up file fail, naming the files. Other
 * files (a README) are ignored.
 */
export async function readMigrationSet(source: MigrationSource): Promise<MigrationSet> {
  const entries =
    source.dir !== undefined && source.dir !== ""
      ? await readDir(source.dir)
      : Object.entries(source.files ?? {}).map(([name, sql]) => ({ name, display: name, sql }));
  const origin = source.dir ?? "embedded migrations";
  const problems: string[] = [];
  const byVersion = new Map<
    number,
    { up?: MigrationFile; down?: MigrationFile; description: string }
  >();
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.name.endsWith(".sql")) continue;
    const match = FILE_NAME.exec(entry.name);
    if (!match) {
      problems.push(
        `${entry.display}: not a migration file name; use <version>_<description>.up.sql or .down.sql`,
      );
      continue;
    }
    const [, digits, description, direction] = match as unknown as [string, string, string, string];
    const version = Number(digits);
    if (!Number.isSafeInteger(version)) {
      problems.push(
        `${entry.display}: version ${digits} is larger than ${Number.MAX_SAFE_INTEGER}`,
      );
      continue;
    }
    const file: MigrationFile = {
      display: entry.display,
      sql: entry.sql,
      checksum: createHash("sha256").update(entry.sql).digest("hex"),
      noTransaction: NO_TRANSACTION.test(leadingComments(entry.sql)),
    };
    const slot = byVersion.get(version) ?? { description };
    const kind = direction as "up" | "down";
    const other = slot[kind];
    if (other) {
      problems.push(
        `${other.display} and ${entry.display}: both are version ${version} (${kind}); give one of them another version`,
      );
      continue;
    }
    slot[kind] = file;
    byVersion.set(version, slot);
  }
  const migrations: Migration[] = [];
  for (const [version, slot] of [...byVersion].sort(([a], [b]) => a - b)) {
    if (!slot.up) {
      problems.push(`${slot.down?.display}: version ${version} has a down file but no up file`);
      continue;
    }
    migrations.push({ version, description: slot.description, up: slot.up, down: slot.down });
  }
  if (problems.length > 0) {
    throw new WfError(
      "WF_ERR_MIGRATION_FILES",
      `${origin}: ${problems.length === 1 ? problems[0] : `\n  ${problems.join("\n  ")}`}`,
    );
  }
  return { origin, migrations };
}

async function readDir(dir: string): Promise<{ name: string; display: string; sql: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WfError(
      "WF_ERR_MIGRATION_FILES",
      code === "ENOENT"
        ? `migrations folder ${dir} does not exist; create it (wfctl migrate create NAME) or pass --dir`
        : `cannot read migrations folder ${dir}: ${(err as Error).message}`,
    );
  }
  const display = path.relative(process.cwd(), dir) || ".";
  // One at a time and synchronously: a thousand concurrent reads cost ten times more.
  return names
    .filter((name) => name.endsWith(".sql"))
    .map((name) => ({
      name,
      display: path.join(display, name),
      sql: readFileSync(path.join(dir, name), "utf8"),
    }));
}

/** The comment lines (and blank lines) a file starts with. */
function leadingComments(sql: string): string {
  const lines: string[] = [];
  for (const line of sql.split("\n")) {
    if (line.trim() !== "" && !line.trim().startsWith("--")) break;
    lines.push(line);
  }
  return lines.join("\n");
}
