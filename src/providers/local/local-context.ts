import type { LocalWorkdir } from "./workdir.js";

/** What every local driver shares: where resources live and how relative paths resolve. */
export interface LocalContext {
  readonly workdir: LocalWorkdir;
  /** The config file's folder (`_config_dir`); `source_dir` and the like are relative to it. */
  readonly configDir: string;
  /** How long a create or update waits for the resource to become ready. */
  readonly readyTimeoutMs: number;
}
