import path from "node:path";
import type { Command } from "commander";
import type { CliIO } from "./cli-io.js";
import { useColor } from "./cli-io.js";

/** Global flags after resolution: what every command receives (frozen, defaults applied). */
export interface GlobalOptions {
  /** The -c value resolved against the working directory, or undefined to search for the default file. */
  readonly configFile: string | undefined;
  readonly env: string | undefined;
  readonly json: boolean;
  readonly color: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** --plugin-dir, as given (resolved where plugins are looked for). */
  readonly pluginDir: string | undefined;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option(
      "-c, --config <file>",
      "config file (default: wfctl.yaml, then infra.yaml, then config/infra.yaml)",
    )
    .option("--env <env>", "environment whose overrides apply (see `environments:`)")
    .option("--json", "machine-readable output on stdout, nothing else on stdout")
    .option("--no-color", "no colour in output (also when NO_COLOR is set)")
    .option("-q, --quiet", "only errors")
    .option("-v, --verbose", "more detail, including plugin logs and error causes")
    .option(
      "--plugin-dir <dir>",
      "where plugins are (default: $WFCTL_PLUGIN_DIR, else .wfctl/plugins next to the config)",
    );
}

export function resolveGlobalOptions(command: Command, io: CliIO): GlobalOptions {
  const raw = command.optsWithGlobals<{
    config?: string;
    env?: string;
    json?: boolean;
    color?: boolean;
    quiet?: boolean;
    verbose?: boolean;
    pluginDir?: string;
  }>();
  return Object.freeze({
    configFile: raw.config === undefined ? undefined : path.resolve(io.cwd, raw.config),
    env: raw.env,
    json: raw.json === true,
    color: useColor(io.stdout, io.env, raw.color !== false),
    quiet: raw.quiet === true,
    verbose: raw.verbose === true,
    pluginDir: raw.pluginDir,
  });
}
