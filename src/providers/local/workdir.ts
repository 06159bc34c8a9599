import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ErrValidation, wrapSentinel } from "../../contracts/index.js";

/**
 * What the local provider records about a resource in its folder, so read, adoption
 * and enumeration find it by name after `wfctl` has exited or crashed.
 */
export interface ResourceRecord {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly tags: readonly string[];
  readonly created_at: string;
  /** Provider-owned facts that outlive a run (a database's port and password...). */
  readonly data?: Record<string, unknown>;
}

export const RESOURCE_FILE = "resource.json";

/** `infra.container_service` → `container_service`: the folder and ID part of a type. */
export function typeSuffix(type: string): string {
  return type.startsWith("infra.") ? type.slice("infra.".length) : type;
}

/** A fresh provider ID: `local-<type>-<name>-<8 hex>`; never holds a secret. */
export function newProviderID(type: string, name: string): string {
  return `local-${typeSuffix(type).replaceAll("_", "-")}-${name}-${randomBytes(4).toString("hex")}`;
}

/** Tags from `config.tags`: a list of strings, or a map whose keys are the tags. */
export function tagsOf(config: Record<string, unknown>): string[] {
  const tags = config.tags;
  if (Array.isArray(tags)) return tags.filter((t): t is string => typeof t === "string");
  if (tags && typeof tags === "object") return Object.keys(tags);
  return [];
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
export async function writeFileAtomic(file: string, content: string, mode = 0o600): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString("hex")}.tmp`;
  await writeFile(tmp, content, { mode });
  await rename(tmp, file);
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    // A file being replaced or cut short reads as absent; the next read sees the whole.
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/**
 * The local provider's folder layout: `<root>/<type suffix>/<name>/` per resource,
 * holding `resource.json` and whatever the resource's driver keeps there.
 */
export class LocalWorkdir {
  constructor(readonly root: string) {}

  dir(type: string, name: string): string {
    if (name === "" || name.includes("/") || name.includes("\\") || name.startsWith(".")) {
      throw wrapSentinel(
        ErrValidation,
        `local provider: resource name "${name}" cannot name a folder (no "/", "\\" or leading ".")`,
      );
    }
    return path.join(this.root, typeSuffix(type), name);
  }

  async record(type: string, name: string): Promise<ResourceRecord | undefined> {
    return readJson<ResourceRecord>(path.join(this.dir(type, name), RESOURCE_FILE));
  }

  /** The record of `type` whose provider ID is `id`. */
  async recordById(type: string, id: string): Promise<ResourceRecord | undefined> {
    const records = await this.records(type);
    return records.find((r) => r.id === id);
  }

  async writeRecord(record: ResourceRecord): Promise<void> {
    const dir = this.dir(record.type, record.name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(path.join(dir, RESOURCE_FILE), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Every recorded resource of `type`, or of every type when absent. */
  async records(type?: string): Promise<ResourceRecord[]> {
    const types = type !== undefined ? [typeSuffix(type)] : await listDirs(this.root);
    const out: ResourceRecord[] = [];
    for (const t of types) {
      for (const name of await listDirs(path.join(this.root, t))) {
        const record = await readJson<ResourceRecord>(path.join(this.root, t, name, RESOURCE_FILE));
        if (record) out.push(record);
      }
    }
    return out;
  }

  async remove(type: string, name: string): Promise<void> {
    await rm(this.dir(type, name), { recursive: true, force: true });
  }
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}
