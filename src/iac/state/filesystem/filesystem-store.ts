import path from "node:path";
import type { IaCPlan, ResourceState } from "../../../contracts/index.js";
import { ManagedStateStore } from "../managed-state-store.js";
import type { StateDriver } from "../state-driver.js";
import {
  checkFormatVersion,
  decodeRecord,
  encodeRecord,
  STATE_FORMAT_VERSION,
} from "../state-records.js";
import type { LockIdentity, ResourceIntent, StateStore } from "../state-store.js";
import { DurableDir } from "./durable-dir.js";
import { fileName } from "./file-name.js";
import { FilesystemLocks } from "./filesystem-lock.js";
import { Journal } from "./journal.js";

export interface FilesystemStoreOptions {
  /** The state folder; created (0700) on the first write. */
  readonly directory: string;
  readonly identity: LockIdentity;
}

/** Names the layout below, so that a future layout is refused rather than read as empty. */
const LAYOUT_FILE = "wfctl-state.json";
const JOURNAL_FILE = "journal.jsonl";

/**
 * State in a folder: resources and intents in `journal.jsonl` (see Journal), plans as
 * `plans/ID.json` (each replaced atomically), locks as `locks/NAME.lock`. Every
 * record is versioned and durable before the call that wrote it resolves.
 */
export async function openFilesystemStore(options: FilesystemStoreOptions): Promise<StateStore> {
  const driver = new FilesystemDriver(path.resolve(options.directory));
  await driver.checkLayout();
  return new ManagedStateStore(driver, options.identity);
}

class FilesystemDriver implements StateDriver {
  readonly backend = "filesystem";
  readonly location: string;
  readonly locks: FilesystemLocks;
  readonly #root: DurableDir;
  readonly #journal: Journal;
  readonly #plans: DurableDir;
  readonly #lockDir: DurableDir;
  #layoutWritten: Promise<void> | undefined;

  constructor(root: string) {
    this.location = root;
    this.#root = new DurableDir(root);
    this.#journal = new Journal(this.#root, JOURNAL_FILE);
    this.#plans = new DurableDir(path.join(root, "plans"));
    this.#lockDir = new DurableDir(path.join(root, "locks"));
    this.locks = new FilesystemLocks(this.#lockDir);
  }

  /** Refuses a state folder laid out by a newer wfctl. */
  async checkLayout(): Promise<void> {
    const where = path.join(this.location, LAYOUT_FILE);
    const text = await this.#root.read(LAYOUT_FILE);
    if (text === undefined) return;
    const version = (JSON.parse(text) as { version?: unknown }).version;
    checkFormatVersion(typeof version === "number" ? version : Number.NaN, where);
  }

  async putResource(state: ResourceState): Promise<void> {
    const existing = this.#journal.get("resource", state.name);
    await this.#markLayout();
    await this.#journal.put("resource", {
      ...state,
      created_at: existing?.created_at ?? state.created_at,
    });
  }

  async getResource(name: string): Promise<ResourceState | undefined> {
    return this.#journal.get("resource", name);
  }

  async listResources(): Promise<ResourceState[]> {
    return this.#journal.all("resource");
  }

  deleteResource(name: string): Promise<void> {
    return this.#journal.delete("resource", name);
  }

  async putPlan(plan: IaCPlan): Promise<void> {
    await this.#markLayout();
    await this.#plans.write(fileName(plan.id, ".json"), encodeRecord("plan", plan));
  }

  async getPlan(id: string): Promise<IaCPlan | undefined> {
    const file = fileName(id, ".json");
    const text = await this.#plans.read(file);
    return text === undefined
      ? undefined
      : decodeRecord("plan", text, path.join(this.#plans.path, file));
  }

  async putIntent(intent: ResourceIntent): Promise<void> {
    await this.#markLayout();
    await this.#journal.put("intent", intent);
  }

  /** Not flushed on its own: the next write or close makes it durable (see StateStore). */
  deleteIntent(name: string): Promise<void> {
    return this.#journal.delete("intent", name, false);
  }

  async listIntents(): Promise<ResourceIntent[]> {
    return this.#journal.all("intent");
  }

  async close(): Promise<void> {
    await this.#journal.close();
    await Promise.all([this.#root, this.#plans, this.#lockDir].map((d) => d.close()));
  }

  /** Writes the layout file before the first record of this store. */
  #markLayout(): Promise<void> {
    this.#layoutWritten ??= this.#root
      .write(LAYOUT_FILE, `${JSON.stringify({ version: STATE_FORMAT_VERSION })}\n`)
      .catch((err: unknown) => {
        this.#layoutWritten = undefined;
        throw err;
      });
    return this.#layoutWritten;
  }
}
