/**
 * The filesystem state backend (the default), for one machine: resources and intents
 * in an append-only journal of versioned JSON lines (one fdatasync per durable write,
 * compacted when mostly superseded), plans as files replaced atomically, locks as
 * exclusive-create lock files; files 0600 in 0700 folders.
 */
export { type FilesystemStoreOptions, openFilesystemStore } from "./filesystem-store.js";
