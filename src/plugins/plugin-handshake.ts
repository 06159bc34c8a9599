import type { CallOptions, IaCCapabilityDeclaration } from "../contracts/index.js";
import { WfError } from "../diagnostics/index.js";
import type { PluginConnection } from "./plugin-connection.js";

/** The plan protocol this wfctl speaks: it computes plans itself from driver diffs. */
export const COMPUTE_PLAN_VERSION = "v2";

/** What a plugin's `initialize` answers (PLUGINS.md). */
export interface PluginInitializeResult {
  readonly name: string;
  readonly version: string;
  readonly compute_plan_version: string;
  readonly capabilities: readonly IaCCapabilityDeclaration[];
  /** The optional methods it implements; others answer -32601. */
  readonly optional: readonly string[];
  readonly canonical_keys?: readonly string[];
}

/**
 * Sends `initialize` with the provider module's config and checks the answer: a
 * plugin speaking another plan protocol is refused before anything else is asked.
 */
export async function initializePlugin(
  connection: PluginConnection,
  config: Readonly<Record<string, unknown>>,
  opts: CallOptions = {},
): Promise<PluginInitializeResult> {
  const result = await connection.request<Partial<PluginInitializeResult> | null>(
    "initialize",
    { config },
    opts,
  );
  const version = result?.compute_plan_version;
  if (version !== COMPUTE_PLAN_VERSION) {
    throw new WfError(
      "WF_ERR_PLUGIN",
      `plugin "${connection.name}" answers compute_plan_version ${JSON.stringify(version ?? null)}; this wfctl speaks "${COMPUTE_PLAN_VERSION}" only: use a plugin version built for it`,
    );
  }
  const optional = result?.optional ?? [];
  if (!Array.isArray(optional) || !optional.every((m) => typeof m === "string")) {
    throw new WfError(
      "WF_ERR_PLUGIN",
      `plugin "${connection.name}": initialize's "optional" must be a list of method names`,
    );
  }
  return {
    name: String(result?.name ?? connection.name),
    version: String(result?.version ?? ""),
    compute_plan_version: version,
    capabilities: Array.isArray(result?.capabilities) ? result.capabilities : [],
    optional,
    ...(Array.isArray(result?.canonical_keys) ? { canonical_keys: result.canonical_keys } : {}),
  };
}
