import type { Command } from "commander";
import { runBuild } from "../../build/build-runner.js";
import { listPlugins, pluginDir } from "../../plugins/plugin-directory.js";
import type { CliIO } from "../cli-io.js";
import { loadValidConfig } from "../command-config.js";
import { ExitCode } from "../exit-codes.js";
import { resolveGlobalOptions } from "../global-options.js";

/** `wfctl build [--target T]`: the config's build targets, with the plugins' hook events. */
export function registerBuildCommand(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
): void {
  program
    .command("build")
    .description("run the config's build targets, firing plugin hook events")
    .option("--target <name>", "only this target")
    .addHelpText("after", "\nExample:\n  $ wfctl build -c examples/build/wfctl.yaml --target web")
    .action(async (flags: { target?: string }, command: Command) => {
      const globals = resolveGlobalOptions(command, io);
      const config = await loadValidConfig(globals, io);
      const dir = pluginDir({
        flag: globals.pluginDir,
        env: io.env,
        configDir: config.dir,
        cwd: io.cwd,
      });
      const log = (line: string) => {
        if (!globals.quiet) io.stderr.write(`${line}\n`);
      };
      const result = await runBuild({
        config,
        ...(flags.target ? { target: flags.target } : {}),
        plugins: listPlugins(dir).plugins,
        buildId: `build-${Date.now().toString(36)}`,
        log,
        // Target commands' own output, as they print it (on stderr: stdout is for --json).
        output: (chunk) => {
          if (!globals.quiet) io.stderr.write(chunk);
        },
        onWarning: (f) =>
          io.stderr.write(`warning: ${f.event} hook of plugin ${f.plugin}: ${f.message}\n`),
      });
      if (globals.json) io.stdout.write(`${JSON.stringify({ version: 1, ...result }, null, 2)}\n`);
      else if (result.success) {
        const artifacts = result.artifacts_dir
          ? `; ${result.artifacts.length} artifact(s) in ${result.artifacts_dir}`
          : "";
        io.stdout.write(
          `Built ${result.targets.length} target(s) in ${result.duration_ms} ms${artifacts}.\n`,
        );
      }
      if (!result.success) {
        if (!globals.json) io.stderr.write(`Error: build failed: ${result.error}\n`);
        setExit(ExitCode.error);
      }
    });
}
