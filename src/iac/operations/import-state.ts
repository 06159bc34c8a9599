import type { CallOptions, IaCStateStore } from "../../contracts/index.js";
import { parseStateDocument } from "./state-document.js";

export interface ImportStateOptions extends CallOptions {
  /** Remove state entries the document does not have; default: merge by name. */
  readonly replace?: boolean;
  /** How the document is named in errors, e.g. its file path. */
  readonly source?: string;
}

export interface ImportStateResult {
  /** Names new to state. */
  readonly added: number;
  /** Names already in state, overwritten by the document's entry. */
  readonly updated: number;
  /** Entries removed because the document lacks them (only with `replace`). */
  readonly removed: number;
}

/**
 * Loads a state document into the store (`wfctl infra state import FILE`). The whole
 * document is validated first (all problems listed, a newer version refused), so an
 * invalid one changes nothing. The caller holds the state lock.
 */
export async function importState(
  store: IaCStateStore,
  doc: unknown,
  options: ImportStateOptions = {},
): Promise<ImportStateResult> {
  const { resources } = parseStateDocument(doc, options.source);
  const call: CallOptions = { signal: options.signal };
  const existing = new Set((await store.listResources(call)).map((e) => e.name));
  const incoming = new Set(resources.map((e) => e.name));
  let added = 0;
  let updated = 0;
  for (const entry of resources) {
    await store.saveResource(entry, call);
    if (existing.has(entry.name)) updated++;
    else added++;
  }
  let removed = 0;
  if (options.replace) {
    for (const name of existing) {
      if (incoming.has(name)) continue;
      await store.deleteResource(name, call);
      removed++;
    }
  }
  return { added, updated, removed };
}
