import {
  findConfigFile,
  type LoadResult,
  loadConfig,
  type WorkflowConfig,
} from "../config/index.js";
import { createDefaultRegistry } from "../config-types.js";
import { WfError } from "../diagnostics/index.js";
import type { CliIO } from "./cli-io.js";
import type { GlobalOptions } from "./global-options.js";

/** The config file a command works on: -c, else the first default file in the working directory. */
export function resolveConfigFile(globals: GlobalOptions, io: CliIO): string {
  const file = globals.configFile ?? findConfigFile(io.cwd);
  if (file === undefined) {
    throw new WfError(
      "WF_ERR_CONFIG_NOT_FOUND",
      `no config file: none of wfctl.yaml, infra.yaml, config/infra.yaml exists in ${io.cwd}; pass -c FILE`,
    );
  }
  return file;
}

/** Load and validate the command's config with every subsystem's types registered. */
export function loadCommandConfig(globals: GlobalOptions, io: CliIO): Promise<LoadResult> {
  return loadConfig(resolveConfigFile(globals, io), {
    registry: createDefaultRegistry(),
    env: globals.env,
    environ: io.env,
    cwd: io.cwd,
  });
}

/** The command's config, or an error carrying every diagnostic when it is not valid. */
export async function loadValidConfig(globals: GlobalOptions, io: CliIO): Promise<WorkflowConfig> {
  const loaded = await loadCommandConfig(globals, io);
  if (!loaded.config) {
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    throw new WfError(
      "WF_ERR_CONFIG_SCHEMA",
      `the config is not valid: ${errors.length} error(s)`,
      {
        diagnostics: loaded.diagnostics,
      },
    );
  }
  return loaded.config;
}
