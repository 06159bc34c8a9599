import type { CallOptions, IaCStateStore } from "../../contracts/index.js";
import { STATE_DOCUMENT_VERSION, type StateDocument } from "./state-document.js";

export interface ExportStateOptions extends CallOptions {
  /** Recorded in the document, so an older wfctl can name what it needs. */
  readonly wfctlVersion?: string;
}

/** The whole state as a portable document (`wfctl infra state export`), sorted by name. */
export async function exportState(
  store: IaCStateStore,
  options: ExportStateOptions = {},
): Promise<StateDocument> {
  const resources = await store.listResources({ signal: options.signal });
  resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    version: STATE_DOCUMENT_VERSION,
    ...(options.wfctlVersion ? { wfctl_version: options.wfctlVersion } : {}),
    resources,
  };
}
